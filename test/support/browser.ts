/**
 * The browser the end-to-end tests drive with playwright-core, found without anything installed by
 * hand: Debian's Chromium where the machine has it, otherwise the headless shell that the
 * `@sparticuz/chromium` devDependency ships inside its package, inflated on first use into
 * node_modules/.cache (nothing is downloaded).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import packagedChromium from '@sparticuz/chromium';
import { type Browser, chromium } from 'playwright-core';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/**
 * The package's flags are for AWS Lambda; these three do not suit a test browser. The first two make
 * it laxer than a user's (a cross-origin or mixed-content mistake in the dashboard would pass here
 * and fail in production); with `--single-process`, closing one browser context closes them all.
 */
const UNSUITED_FLAGS = new Set([
  '--disable-web-security',
  '--allow-running-insecure-content',
  '--single-process',
]);

const PACKAGE_ROOT = join(
  dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium')),
  '..',
  '..',
);
const CACHE = join(PACKAGE_ROOT, '..', '..', '.cache', 'test-chromium');

/**
 * The packaged shell, inflated once per package version. The package inflates into the temp
 * directory and trusts whatever files it finds there, so a half-cleaned /tmp leaves it unable to
 * start; here it inflates into a fresh directory, renamed into place only when complete.
 */
const inflatedChromium = async (): Promise<string> => {
  const { version } = createRequire(import.meta.url)(join(PACKAGE_ROOT, 'package.json')) as {
    version: string;
  };
  const home = join(CACHE, version);
  const binary = join(home, 'chromium');
  if (existsSync(binary)) return binary;
  await mkdir(CACHE, { recursive: true });
  const staging = await mkdtemp(join(CACHE, 'inflating-'));
  const tmpdir = process.env.TMPDIR;
  try {
    process.env.TMPDIR = staging; // where the package inflates (os.tmpdir())
    await packagedChromium.executablePath();
  } finally {
    if (tmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmpdir;
  }
  // Another run may have finished first: keep its copy.
  await rename(staging, home).catch(() => rm(staging, { recursive: true, force: true }));
  return binary;
};

export interface BrowserChoice {
  readonly executablePath: string;
  readonly args: readonly string[];
  /** Where it came from, for a failure message. */
  readonly source: 'system' | '@sparticuz/chromium';
}

/** `CHROMIUM_PATH` if set, Debian's Chromium if present, the packaged headless shell otherwise. */
export const chooseBrowser = async (
  env: NodeJS.ProcessEnv = process.env,
  exists: (path: string) => boolean = existsSync,
): Promise<BrowserChoice> => {
  const chosen = env.CHROMIUM_PATH;
  if (chosen !== undefined && !exists(chosen)) {
    throw new Error(
      `CHROMIUM_PATH is ${chosen}, which does not exist: unset it to use the packaged one`,
    );
  }
  const system = chosen ?? DEBIAN_CHROMIUM;
  if (exists(system)) return { executablePath: system, args: ['--no-sandbox'], source: 'system' };
  return {
    executablePath: await inflatedChromium(),
    args: packagedChromium.args.filter((arg) => !UNSUITED_FLAGS.has(arg)),
    source: '@sparticuz/chromium',
  };
};

export const launchBrowser = async (): Promise<Browser> => {
  const choice = await chooseBrowser();
  try {
    return await chromium.launch({
      executablePath: choice.executablePath,
      args: [...choice.args],
      headless: true,
      // Under a POSIX locale (LANG=C, as on CI) the shell reports navigator.language as
      // `en-US@posix`, which Intl (and so uPlot) refuses; a user's browser reports a valid tag.
      env: { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: 'en_US.UTF-8' },
    });
  } catch (error) {
    throw new Error(
      `Could not start the test browser (${choice.source}, ${choice.executablePath}): ${String(error)}`,
    );
  }
};

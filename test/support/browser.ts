/**
 * The browser the end-to-end tests drive with playwright-core, found without anything installed by
 * hand: Debian's Chromium where the machine has it, otherwise the headless shell that the
 * `@sparticuz/chromium` devDependency ships inside its package (inflated into the temp directory on
 * first use; nothing is downloaded).
 */
import { existsSync } from 'node:fs';
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
    executablePath: await packagedChromium.executablePath(),
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

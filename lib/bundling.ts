import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * How every Lambda of the project is bundled, as plain data: the CDK construct
 * (lib/constructs/handler-function.ts) deploys with it and bench/route-call.ts measures with it,
 * so the benchmark measures exactly what is deployed.
 *
 * - The SDK is bundled (not taken from the runtime): a minified, tree-shaken client starts faster.
 * - `mainFields: ['module', 'main']` picks the SDK's ESM builds so esbuild can tree-shake them.
 * - `@aws-sdk/credential-provider-node` is aliased to an env-only provider: Lambda always passes
 *   credentials in environment variables, and the full chain (SSO, INI files, IMDS: about 90 KB)
 *   can never run there (see lambdas/adapters/env-credentials.ts).
 * - No source maps: `--enable-source-maps` slows cold starts of large bundles.
 */

const repoPath = (relative: string): string =>
  fileURLToPath(new URL(`../${relative}`, import.meta.url));

/**
 * Every deployed function: its entry file in lambdas/handlers/ and the largest minified bundle
 * it may have, in KB (1 KB = 1024 bytes). test/infra/bundles.test.ts builds each one and holds it
 * to its budget. route-call's is its cold-start budget; the others were set at the size they had
 * when budgets began, plus 10 % (the API's after the local system left it). A change that needs
 * more raises the budget here and says what the bytes buy.
 */
export const DEPLOYED_FUNCTIONS = {
  'route-call': { entry: 'route-call.ts', budgetKb: 250 },
  'recording-control': { entry: 'recording-control.ts', budgetKb: 405 },
  'ingest-contact-records': { entry: 'ingest-contact-records.ts', budgetKb: 759 },
  // 610 KB once the route preview's simulator ran customer queue flows and the call detail read
  // voicemail transcripts (about 560 KB before), plus about 5 %.
  // 631 KB with the EventBridge client that publishes lead changes (611 KB before), plus 5 %.
  api: { entry: 'api.ts', budgetKb: 665 },
  // 476 KB with the S3 client that reads its routing document (310 KB before), plus 10 %.
  'sync-routing-table': { entry: 'sync-routing-table.ts', budgetKb: 524 },
  // 409 KB until the association kept its progress in DynamoDB (the client adds about 15 KB).
  'associate-phone-numbers': { entry: 'associate-phone-numbers.ts', budgetKb: 440 },
  // 525 KB (DynamoDB, S3 with the presigner for the call's links, SQS), plus 10 %.
  'deliver-webhooks': { entry: 'deliver-webhooks.ts', budgetKb: 580 },
} as const satisfies Record<string, { entry: string; budgetKb: number }>;

export type DeployedFunction = keyof typeof DEPLOYED_FUNCTIONS;

/** Absolute path of a deployed function's entry point in lambdas/handlers/. */
export const handlerEntry = (fn: DeployedFunction): string =>
  repoPath(`lambdas/handlers/${DEPLOYED_FUNCTIONS[fn].entry}`);

/** Absolute path of the route-call handler. */
export const ROUTE_CALL_ENTRY = handlerEntry('route-call');

/** Module aliases of every bundle: module name → absolute path of its replacement. */
export const BUNDLE_ALIASES: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': repoPath('lambdas/adapters/env-credentials.ts'),
};

/** Gives the ESM bundle a `require` for CommonJS dependencies that call it. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/** esbuild options (JS API names) of every bundle; add entryPoints and outfile. */
export const LAMBDA_ESBUILD = {
  bundle: true,
  minify: true,
  sourcemap: false,
  platform: 'node' as const,
  format: 'esm' as const,
  target: 'node22',
  mainFields: ['module', 'main'],
  /** Nothing external: the SDK is bundled. */
  external: [] as string[],
  alias: BUNDLE_ALIASES,
  banner: { js: ESM_REQUIRE_BANNER },
};

/** Largest acceptable minified route-call bundle, in KB (1 KB = 1024 bytes). */
export const ROUTE_CALL_BUNDLE_LIMIT_KB = DEPLOYED_FUNCTIONS['route-call'].budgetKb;

/**
 * Everything a bundle is built from, besides its entry's name: the runtime code (lambdas/, where
 * every import of a handler resolves, aliases included), the locked dependencies, the TypeScript
 * settings and the bundling settings themselves (this file and the construct that applies them).
 */
const BUNDLE_INPUTS = {
  directories: ['lambdas'],
  files: [
    'package-lock.json',
    'tsconfig.json',
    'lib/bundling.ts',
    'lib/constructs/handler-function.ts',
  ],
} as const;

const filesUnder = (directory: string): string[] =>
  readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    return entry.isDirectory() ? filesUnder(path) : entry.isFile() ? [path] : [];
  });

/** sha256 of the path (relative to `root`) and bytes of every file in `directories` and `files`. */
export const hashOfInputs = (
  root: string,
  inputs: { readonly directories: readonly string[]; readonly files: readonly string[] },
): string => {
  const paths = [
    ...inputs.directories.flatMap((d) => filesUnder(join(root, d))),
    ...inputs.files.map((f) => join(root, f)),
  ]
    .map((path) => relative(root, path))
    .sort();
  const hash = createHash('sha256');
  for (const path of paths) {
    hash
      .update(`${path}\0`)
      .update(readFileSync(join(root, path)))
      .update('\0');
  }
  return hash.digest('hex');
};

let inputsHash: string | undefined;

/**
 * The asset hash of a deployed function's bundle, from its inputs rather than its output: a synth
 * whose output directory already holds a bundle of the same inputs (cdk.out between two synths)
 * uses it instead of running esbuild again. Any change to an input changes every function's hash.
 */
export const bundleSourceHash = (fn: DeployedFunction): string => {
  // Read once per process: every function of a synth shares the inputs.
  inputsHash ??= hashOfInputs(repoPath(''), BUNDLE_INPUTS);
  return createHash('sha256').update(`${fn}\0${inputsHash}`).digest('hex');
};

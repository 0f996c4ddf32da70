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

/** Absolute path of a handler entry point in lambdas/handlers/. */
export const handlerEntry = (file: string): string => repoPath(`lambdas/handlers/${file}`);

/** Absolute path of the route-call handler. */
export const ROUTE_CALL_ENTRY = handlerEntry('route-call.ts');

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
export const ROUTE_CALL_BUNDLE_LIMIT_KB = 250;

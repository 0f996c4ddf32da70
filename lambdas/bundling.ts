import { fileURLToPath } from 'node:url';

/**
 * How the route-call Lambda is bundled, as plain data shared by the CDK construct and
 * bench/route-call.ts, so the benchmark measures exactly what is deployed.
 *
 * - The SDK is bundled (not taken from the runtime): a minified, tree-shaken client starts faster.
 * - `mainFields: ['module', 'main']` picks the SDK's ESM builds so esbuild can tree-shake them.
 * - `@aws-sdk/credential-provider-node` is aliased to an env-only provider: Lambda always passes
 *   credentials in environment variables (see lambdas/adapters/env-credentials.ts).
 * - No source maps: `--enable-source-maps` slows cold starts of large bundles.
 */

const repoPath = (relative: string): string =>
  fileURLToPath(new URL(`../${relative}`, import.meta.url));

/** Absolute path of the handler entry point. */
export const ROUTE_CALL_ENTRY = repoPath('lambdas/handlers/route-call.ts');

/**
 * Module aliases of the route-call bundle, paths relative to the repository root:
 * `@aws-sdk/credential-provider-node` becomes the env-only provider.
 */
export const ROUTE_CALL_ALIASES: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': 'lambdas/adapters/env-credentials.ts',
};

/** ROUTE_CALL_ALIASES with absolute paths, as esbuild's `alias` takes them. */
const absoluteAliases: Record<string, string> = Object.fromEntries(
  Object.entries(ROUTE_CALL_ALIASES).map(([from, to]) => [from, repoPath(to)]),
);

/** Gives the ESM bundle a `require` for CommonJS dependencies that call it (the CDK construct adds it too). */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/** esbuild options (JS API names) for the route-call bundle; add entryPoints and outfile. */
export const ROUTE_CALL_ESBUILD = {
  bundle: true,
  minify: true,
  sourcemap: false,
  platform: 'node' as const,
  format: 'esm' as const,
  target: 'node22',
  mainFields: ['module', 'main'],
  /** Nothing external: the SDK is bundled (CDK: `bundleAwsSDK: true` or `externalModules: []`). */
  external: [] as string[],
  alias: absoluteAliases,
  banner: { js: ESM_REQUIRE_BANNER },
};

/**
 * The alias in esbuild CLI form, for NodejsFunction's `bundling.esbuildArgs` (it has no `alias`
 * option); `format`, `target`, `minify`, `mainFields` and `sourceMap` map onto its own props.
 */
export const ROUTE_CALL_ESBUILD_ARGS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(absoluteAliases).map(([from, to]) => [`--alias:${from}`, to]),
);

/** Largest acceptable minified bundle, in KB (1 KB = 1024 bytes). */
export const ROUTE_CALL_BUNDLE_LIMIT_KB = 250;

import { type FromEnvInit, fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Stand-in for `@aws-sdk/credential-provider-node` in Lambda bundles (esbuild `alias`, see
 * lib/bundling.ts). Lambda always hands the execution role's credentials to the function in
 * AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, so the rest of the node chain
 * (SSO, INI files, process, web identity, IMDS: about 90 KB minified) can never run there and only
 * slows the cold start. Do not use this outside a Lambda bundle: locally the full chain is needed.
 */
export const defaultProvider = (init?: FromEnvInit): ReturnType<typeof fromEnv> => fromEnv(init);

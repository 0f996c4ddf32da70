import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEPLOYED_FUNCTIONS,
  type DeployedFunction,
  handlerEntry,
  LAMBDA_ESBUILD,
} from '../../lib/bundling.js';

/**
 * Every deployed function bundled exactly as CDK bundles it (lib/bundling.ts), held to its size
 * budget, and to what it may contain: code from lambdas/ and the libraries it calls, never the local
 * system, the CDK app, scripts, benchmarks or tests, and only the AWS SDK clients it uses.
 */

/** The AWS SDK clients each function calls: any other one in its bundle is dead weight or a leak. */
const SDK_CLIENTS: Readonly<Record<DeployedFunction, readonly string[]>> = {
  'route-call': ['@aws-sdk/client-dynamodb'],
  'recording-control': ['@aws-sdk/client-connect'],
  // The voicemail packager: Kinesis Video (endpoint, media), S3, Transcribe and SES; the callers'
  // hash key from Secrets Manager.
  'ingest-contact-records': [
    '@aws-sdk/client-dynamodb',
    '@aws-sdk/client-eventbridge',
    '@aws-sdk/client-kinesis-video',
    '@aws-sdk/client-kinesis-video-media',
    '@aws-sdk/client-s3',
    '@aws-sdk/client-secrets-manager',
    '@aws-sdk/client-sesv2',
    '@aws-sdk/client-sqs',
    '@aws-sdk/client-transcribe',
  ],
  api: [
    '@aws-sdk/client-dynamodb',
    '@aws-sdk/client-eventbridge',
    '@aws-sdk/client-s3',
    '@aws-sdk/client-secrets-manager',
  ],
  'sync-routing-table': ['@aws-sdk/client-dynamodb', '@aws-sdk/client-s3'],
  'associate-phone-numbers': ['@aws-sdk/client-connect', '@aws-sdk/client-dynamodb'],
  // Subscriptions and the call (DynamoDB), the event's links (S3), its own queue (SQS).
  'deliver-webhooks': ['@aws-sdk/client-dynamodb', '@aws-sdk/client-s3', '@aws-sdk/client-sqs'],
};

interface Bundle {
  readonly bytes: number;
  readonly text: string;
  readonly inputs: readonly string[];
}

const bundle = async (fn: DeployedFunction): Promise<Bundle> => {
  const result = await build({
    ...LAMBDA_ESBUILD,
    entryPoints: [handlerEntry(fn)],
    outfile: `${fn}.mjs`,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error(`esbuild wrote no bundle for ${fn}`);
  const metafile = result.metafile as Metafile;
  return {
    bytes: output.contents.byteLength,
    text: output.text,
    inputs: Object.keys(metafile.inputs),
  };
};

/** The npm package an esbuild input belongs to, e.g. `@aws-sdk/client-s3`. */
const packageOf = (input: string): string | undefined =>
  /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];

const FUNCTIONS = Object.keys(DEPLOYED_FUNCTIONS) as DeployedFunction[];
const bundles = new Map<DeployedFunction, Bundle>();

beforeAll(async () => {
  for (const fn of FUNCTIONS) bundles.set(fn, await bundle(fn));
}, 120_000);

const bundleOf = (fn: DeployedFunction): Bundle => {
  const found = bundles.get(fn);
  if (!found) throw new Error(`no bundle built for ${fn}`);
  return found;
};

describe.each(FUNCTIONS)('the %s bundle', (fn) => {
  it('stays within its size budget', () => {
    const kb = bundleOf(fn).bytes / 1024;
    expect(kb, `${fn} is ${kb.toFixed(1)} KB`).toBeLessThanOrEqual(DEPLOYED_FUNCTIONS[fn].budgetKb);
  });

  it('holds code of lambdas/ and libraries only', () => {
    const project = bundleOf(fn).inputs.filter((input) => !input.includes('node_modules/'));
    expect(project.filter((input) => !/^(lambdas|contact-flows)\//.test(input))).toEqual([]);
  });

  it('holds only the AWS SDK clients the function calls', () => {
    const clients = new Set(
      bundleOf(fn)
        .inputs.map(packageOf)
        .filter((name): name is string => name?.startsWith('@aws-sdk/client-') ?? false),
    );
    expect([...clients].sort()).toEqual([...SDK_CLIENTS[fn]].sort());
  });

  it('opens no server and knows no local address', () => {
    const { text } = bundleOf(fn);
    // Booleans, not toContain: a failure would print the whole bundle.
    for (const local of ['createServer', '127.0.0.1']) {
      expect(text.includes(local), `the bundle contains ${local}`).toBe(false);
    }
  });
});

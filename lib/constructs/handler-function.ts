import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  bundleSourceHash,
  type DeployedFunction,
  handlerEntry,
  LAMBDA_ESBUILD,
} from '../bundling.js';

const repoPath = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

export interface HandlerFunctionProps {
  /** Which deployed function this is (its entry file: lib/bundling.ts `DEPLOYED_FUNCTIONS`). */
  readonly handler: DeployedFunction;
  /** What the function does, shown in the console. */
  readonly description: string;
  /** @default - 10 seconds */
  readonly timeout?: Duration;
  /** @default - 256 MB (at 128 MB the first invoke after a cold start is several times slower) */
  readonly memorySize?: number;
  /** Environment variables of the function. @default - none */
  readonly environment?: Record<string, string>;
  /** @default - one month */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * Every Lambda of the project, with one set of defaults: Node.js 22 on arm64 (about 20 % faster to
 * start than x86), bundled by the local esbuild with the settings of lib/bundling.ts, its own
 * log group with a retention, and its own role that can write only to that log group (no AWS
 * managed policy).
 */
export class HandlerFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
    });
    logGroup.grantWrite(this.role);

    // Pinned to Node.js 22 rather than the newest runtime: the bundle targets node22 and the code
    // must also run on the Node 20 of local development; a runtime upgrade is a tested change.
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is pinned on purpose (in standard support until April 2027); moving to a newer runtime is a tested change made in this construct, not an automatic one.',
    });
    this.function = new NodejsFunction(this, 'Function', {
      entry: handlerEntry(props.handler),
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup,
      ...(props.environment ? { environment: props.environment } : {}),
      depsLockFilePath: repoPath('package-lock.json'),
      projectRoot: repoPath(''),
      bundling: {
        // By its inputs: a second synth into the same cdk.out reuses the bundle (lib/bundling.ts).
        assetHash: bundleSourceHash(props.handler),
        // The shared settings of lib/bundling.ts, in NodejsFunction's vocabulary.
        format: LAMBDA_ESBUILD.format === 'esm' ? OutputFormat.ESM : OutputFormat.CJS,
        target: LAMBDA_ESBUILD.target,
        minify: LAMBDA_ESBUILD.minify,
        sourceMap: LAMBDA_ESBUILD.sourcemap,
        mainFields: LAMBDA_ESBUILD.mainFields,
        bundleAwsSDK: LAMBDA_ESBUILD.external.length === 0,
        banner: LAMBDA_ESBUILD.banner.js,
        // NodejsFunction has no alias option: pass esbuild's own flag.
        esbuildArgs: Object.fromEntries(
          Object.entries(LAMBDA_ESBUILD.alias).map(([from, to]) => [`--alias:${from}`, to]),
        ),
      },
    });
  }
}

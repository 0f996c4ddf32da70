import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ESM_REQUIRE_BANNER } from '../../lambdas/bundling.js';

const repoPath = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

export interface HandlerFunctionProps {
  /** The handler file, relative to `lambdas/handlers/`, e.g. `route-call.ts`. */
  readonly handlerFile: string;
  /** What the function does, shown in the console. */
  readonly description: string;
  /** @default - 10 seconds */
  readonly timeout?: Duration;
  /** @default - 256 MB (at 128 MB the first invoke after a cold start is several times slower) */
  readonly memorySize?: number;
  /** Merged over the defaults, never replacing them. @default - none */
  readonly environment?: Record<string, string>;
  /**
   * Module aliases for esbuild, e.g. to swap the SDK's full credential chain for the environment
   * provider in functions that must start fast. Paths are relative to the repository root.
   * @default - none
   */
  readonly aliases?: Record<string, string>;
  /** @default - one month */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * Every Lambda of the project, with one set of defaults: Node.js 22 on arm64 (about 20 % faster to
 * start than x86), an ESM bundle built by the local esbuild (minified, tree-shaking the SDK's ESM
 * builds, no source maps: they slow every cold start), its own log group with a retention, and its
 * own role that can write only to that log group (no AWS managed policy).
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
      entry: repoPath(`lambdas/handlers/${props.handlerFile}`),
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup,
      environment: { NODE_OPTIONS: '--no-warnings', ...props.environment },
      depsLockFilePath: repoPath('package-lock.json'),
      projectRoot: repoPath(''),
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: false,
        mainFields: ['module', 'main'],
        // Bundle the SDK rather than load the runtime's copy: a tree-shaken client starts faster.
        bundleAwsSDK: true,
        banner: ESM_REQUIRE_BANNER,
        esbuildArgs: Object.fromEntries(
          Object.entries(props.aliases ?? {}).map(([from, to]) => [
            `--alias:${from}`,
            repoPath(to),
          ]),
        ),
      },
    });
  }
}

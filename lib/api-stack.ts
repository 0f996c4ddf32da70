import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { apiEnvironment } from '../lambdas/contracts/environment.js';
import { ApiAuth } from './constructs/api-auth.js';
import { type ApiThrottle, ReportingApi } from './constructs/reporting-api.js';
import { ReportingApiFunction } from './constructs/reporting-api-function.js';
import { WebhookFanOut } from './constructs/webhook-fan-out.js';

export interface ApiStackProps extends StackProps {
  readonly callLogTable: dynamodb.ITableV2;
  readonly routingTable: dynamodb.ITableV2;
  readonly recordingsBucket: s3.IBucket;
  readonly recordingsKey: kms.IKey;
  /** The contact-record archive (encrypted with recordingsKey), which an erasure rewrites. */
  readonly contactRecordArchive?: s3.IBucket;
  /** Prefix of the names the stack gives resources, so stages can share an account. */
  readonly namePrefix: string;
  /** @default - `<namePrefix in lowercase>-<account id>` */
  readonly authDomainPrefix?: string;
  /** Browser origins allowed to call the API. @default - none (no CORS) */
  readonly corsOrigins?: readonly string[];
  /** @default - 50 requests per second, bursts of 100 */
  readonly throttle?: ApiThrottle;
  /** Callback URLs of a dashboard people sign in to. @default - no client for people */
  readonly peopleCallbackUrls?: readonly string[];
}

/**
 * The reporting and management API: the HTTP API and its function, and the Cognito user pool that
 * issues its tokens to dashboards and integrations (client credentials). Stateless: it can be
 * destroyed and redeployed freely (the clients then get new ids and secrets).
 */
export class ApiStack extends Stack {
  readonly auth: ApiAuth;
  readonly function: ReportingApiFunction;
  readonly api: ReportingApi;
  /** The call-event bus and the webhook deliveries; the ingest publishes to its bus too. */
  readonly webhooks: WebhookFanOut;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    this.auth = new ApiAuth(this, 'Auth', {
      namePrefix: props.namePrefix,
      ...(props.authDomainPrefix ? { domainPrefix: props.authDomainPrefix } : {}),
      ...(props.peopleCallbackUrls ? { peopleCallbackUrls: props.peopleCallbackUrls } : {}),
    });
    this.function = new ReportingApiFunction(this, 'ApiFunction', {
      callLogTable: props.callLogTable,
      routingTable: props.routingTable,
      recordingsBucket: props.recordingsBucket,
      recordingsKey: props.recordingsKey,
      ...(props.contactRecordArchive ? { contactRecordArchive: props.contactRecordArchive } : {}),
    });
    this.webhooks = new WebhookFanOut(this, 'Webhooks', {
      callLogTable: props.callLogTable,
      recordingsBucket: props.recordingsBucket,
      recordingsKey: props.recordingsKey,
    });
    // Lead changes are call.updated events.
    this.webhooks.grantPublish(this.function.handler, apiEnvironment.names.eventBusName);
    this.api = new ReportingApi(this, 'ReportingApi', {
      name: `${props.namePrefix}-api`,
      handlers: { read: this.function.reader.function, admin: this.function.handler.function },
      userPool: this.auth.userPool,
      clients: [
        this.auth.readOnlyClient,
        this.auth.adminClient,
        ...(this.auth.peopleClient ? [this.auth.peopleClient] : []),
      ],
      ...(props.corsOrigins ? { corsOrigins: props.corsOrigins } : {}),
      ...(props.throttle ? { throttle: props.throttle } : {}),
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
    new CfnOutput(this, 'WebhookDeadLetterQueueArn', {
      value: this.webhooks.deadLetters.queueArn,
      description: 'npm run replay-webhooks -- --dead-letter-queue <this ARN>',
    });
    new CfnOutput(this, 'TokenEndpoint', { value: this.auth.tokenEndpoint });
    new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
    new CfnOutput(this, 'ReadOnlyClientId', {
      value: this.auth.readOnlyClient.userPoolClientId,
      description:
        'client-credentials client with scope calltracking/read (its secret stays in Cognito)',
    });
    new CfnOutput(this, 'AdminClientId', {
      value: this.auth.adminClient.userPoolClientId,
      description:
        'client-credentials client with scopes calltracking/read and calltracking/admin (its secret stays in Cognito)',
    });
    if (this.auth.peopleClient) {
      new CfnOutput(this, 'PeopleClientId', {
        value: this.auth.peopleClient.userPoolClientId,
        description:
          'sign-in client for people (authorization code with PKCE, scope calltracking/read)',
      });
      new CfnOutput(this, 'SignInDomain', { value: this.auth.domain.baseUrl() });
    }
  }
}

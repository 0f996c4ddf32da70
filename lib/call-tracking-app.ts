import { type App, type Environment, Tags, Validations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ingestEnvironment } from '../lambdas/contracts/environment.js';
import type { Portfolio } from '../lambdas/domain/portfolio/schema.js';
import { ApiStack } from './api-stack.js';
import { capacityPlan, DEFAULT_CONNECT_CONCURRENT_CALLS } from './config/capacity.js';
import { assertDeployable } from './config/deploy-target.js';
import type { ApiThrottle } from './constructs/reporting-api.js';
import { DataStack } from './data-stack.js';
import { OperationsStack } from './operations-stack.js';
import { TelephonyStack } from './telephony-stack.js';

/** Everything the app is configured with; lib/config/app-config.ts reads it from context. */
export interface CallTrackingConfig {
  readonly portfolio: Portfolio;
  /** The portfolio file as given on the command line. @default 'config/portfolio.yaml' */
  readonly portfolioFile?: string;
  readonly env?: Environment;
  /** Prefix of the stack names, so several copies (stages) can live in one account. */
  readonly stackPrefix: string;
  readonly existingInstanceArn?: string;
  readonly instanceAlias?: string;
  /** @default - true for a new instance, false for an existing one */
  readonly configureRecordingStorage?: boolean;
  /** @default true */
  readonly configureContactRecordStorage?: boolean;
  readonly recordingRetentionDays: number;
  /** Days the call log keeps calls, lead data and caller items (TTL). @default recordingRetentionDays */
  readonly callDataRetentionDays?: number;
  /** Browser origins allowed to call the API (CORS). @default - none */
  readonly apiCorsOrigins?: readonly string[];
  /** @default - 50 requests per second, bursts of 100 */
  readonly apiThrottle?: ApiThrottle;
  /** Prefix of the Cognito domain that serves tokens. @default - `<stackPrefix>-<account id>` */
  readonly authDomainPrefix?: string;
  /** Callback URLs of a dashboard people sign in to. @default - no client for people */
  readonly apiCallbackUrls?: readonly string[];
  /**
   * The account's AssociatePhoneNumberContactFlow quota, in requests a second, once raised.
   * @default - Connect's default, 2
   */
  readonly associationRateLimit?: number;
  /**
   * How long route-call serves a known route past its cache life while DynamoDB fails, in hours.
   * @default 24
   */
  readonly routeMaxStaleHours?: number;
  /** Days raw contact records stay in the replay archive. @default 400 */
  readonly contactRecordArchiveDays?: number;
  /** The SES identity voicemail emails are sent from (`-c voicemailFromEmail=`). @default - no email */
  readonly voicemailFromEmail?: string;
  /** The dashboard's address, for the voicemail email's link. @default - the API's `/calls/{id}` */
  readonly dashboardUrl?: string;
  /** Who is emailed when an alarm fires or recovers. @default - nobody (subscribe to the topic) */
  readonly alarmEmails?: readonly string[];
  /**
   * The Connect instance's concurrent-call quota: route-call and recording-control reserve that
   * much Lambda concurrency (lib/config/capacity.ts). @default 10 (Connect's default)
   */
  readonly connectConcurrentCalls?: number;
}

export interface CallTrackingStacks {
  readonly data: DataStack;
  readonly telephony: TelephonyStack;
  readonly api: ApiStack;
  readonly operations: OperationsStack;
}

/** Reserved concurrency, set on the function's template: it is both a guarantee and a ceiling. */
const reserveConcurrency = (fn: lambda.IFunction, executions: number): void => {
  (fn.node.defaultChild as lambda.CfnFunction).reservedConcurrentExecutions = executions;
};

/**
 * cdk-nag's AwsSolutions rules as a failing gate. (The CloudFormation schema validation is the other
 * gate: it fails synth through `@aws-cdk/core:validateAgainstDefaultRules` in cdk.json.)
 */
export const addSynthGates = (app: App): void => {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
};

/**
 * Adds the stacks to `app`, with the synth gates. Throws a ContextError, before any stack is built,
 * when the deploy target would certainly fail (lib/config/deploy-target.ts).
 */
export const addCallTrackingStacks = (app: App, config: CallTrackingConfig): CallTrackingStacks => {
  assertDeployable(config);
  addSynthGates(app);
  Tags.of(app).add('project', 'call-tracking');
  const env = config.env ? { env: config.env } : {};
  const data = new DataStack(app, `${config.stackPrefix}-data`, {
    ...env,
    description: 'Call tracking: routing table, call log, recordings (stateful, retained)',
    namePrefix: config.stackPrefix,
    recordingRetentionDays: config.recordingRetentionDays,
    ...(config.contactRecordArchiveDays === undefined
      ? {}
      : { contactRecordArchiveDays: config.contactRecordArchiveDays }),
  });
  const telephony = new TelephonyStack(app, `${config.stackPrefix}-telephony`, {
    ...env,
    description: 'Call tracking: Connect instance, inbound flow, tracking numbers, route-call',
    portfolio: config.portfolio,
    ...(config.portfolioFile ? { portfolioFile: config.portfolioFile } : {}),
    routingTable: data.routingTable,
    callLogTable: data.callLogTable,
    recordingsBucket: data.recordingsBucket,
    recordingsKey: data.recordingsKey,
    contactRecordArchive: data.contactRecordArchive,
    callerHashSecret: data.callerHashSecret,
    namePrefix: config.stackPrefix,
    ...(config.configureRecordingStorage === undefined
      ? {}
      : { configureRecordingStorage: config.configureRecordingStorage }),
    ...(config.configureContactRecordStorage === undefined
      ? {}
      : { configureContactRecordStorage: config.configureContactRecordStorage }),
    ...(config.existingInstanceArn ? { existingInstanceArn: config.existingInstanceArn } : {}),
    ...(config.instanceAlias ? { instanceAlias: config.instanceAlias } : {}),
    ...(config.associationRateLimit === undefined
      ? {}
      : { associationRateLimit: config.associationRateLimit }),
    ...(config.routeMaxStaleHours === undefined
      ? {}
      : { routeMaxStaleHours: config.routeMaxStaleHours }),
    ...(config.voicemailFromEmail ? { voicemailFromEmail: config.voicemailFromEmail } : {}),
    callDataRetentionDays: config.callDataRetentionDays ?? config.recordingRetentionDays,
    // The dashboard's call page is `#/calls/<id>` (dashboard/src/call-detail.ts).
    ...(config.dashboardUrl
      ? { voicemailLinkBase: `${config.dashboardUrl.replace(/\/+$/, '')}/#` }
      : {}),
  });
  telephony.addStackDependency(data);
  const api = new ApiStack(app, `${config.stackPrefix}-api`, {
    ...env,
    description: 'Call tracking: reporting and management API, its Cognito token issuer',
    callLogTable: data.callLogTable,
    routingTable: data.routingTable,
    recordingsBucket: data.recordingsBucket,
    recordingsKey: data.recordingsKey,
    contactRecordArchive: data.contactRecordArchive,
    namePrefix: config.stackPrefix,
    ...(config.apiCorsOrigins ? { corsOrigins: config.apiCorsOrigins } : {}),
    ...(config.apiThrottle ? { throttle: config.apiThrottle } : {}),
    ...(config.authDomainPrefix ? { authDomainPrefix: config.authDomainPrefix } : {}),
    ...(config.apiCallbackUrls ? { peopleCallbackUrls: config.apiCallbackUrls } : {}),
  });
  api.addStackDependency(data);
  if (!config.dashboardUrl) {
    // Without a dashboard the email links to the API's call (GET /calls/{id}, a token needed).
    telephony.contactRecordIngest.function.function.addEnvironment(
      ingestEnvironment.names.voicemailLinkBase,
      api.api.url,
    );
    telephony.addStackDependency(api);
  }

  // The ingest publishes call events on the API stack's bus: the API stack deploys first.
  api.webhooks.grantPublish(
    telephony.contactRecordIngest.function,
    ingestEnvironment.names.eventBusName,
  );
  telephony.addStackDependency(api);

  const connectConcurrentCalls = config.connectConcurrentCalls ?? DEFAULT_CONNECT_CONCURRENT_CALLS;
  const capacity = capacityPlan(connectConcurrentCalls);
  reserveConcurrency(telephony.routeCall.function, capacity.routeCall);
  reserveConcurrency(telephony.recordingControl.function, capacity.recordingControl);
  reserveConcurrency(telephony.contactRecordIngest.function.function, capacity.ingest);
  reserveConcurrency(api.function.reader.function, capacity.apiRead);
  reserveConcurrency(api.function.handler.function, capacity.apiAdmin);

  const operations = new OperationsStack(app, `${config.stackPrefix}-operations`, {
    ...env,
    description: 'Call tracking: alarms (SNS topic), the operations dashboard',
    ...(config.alarmEmails ? { alarmEmails: config.alarmEmails } : {}),
    instanceArn: telephony.instance.instanceArn,
    inboundFlowName: telephony.inboundFlow.flow.name,
    routeCall: telephony.routeCall.function,
    recordingControl: telephony.recordingControl.function,
    ingest: telephony.contactRecordIngest.function.function,
    ingestFailures: telephony.contactRecordIngest.failures,
    api: api.api.httpApi,
    tables: [data.routingTable, data.callLogTable],
    connectConcurrentCalls,
  });
  operations.addStackDependency(telephony);
  operations.addStackDependency(api);
  return { data, telephony, api, operations };
};

import {
  Annotations,
  CfnOutput,
  Duration,
  Fn,
  RemovalPolicy,
  Stack,
  type StackProps,
  Tags,
  Validations,
} from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import {
  agentWhisperFlowName,
  connectNamePrefix,
  customerQueueFlowName,
  inboundFlowName,
} from '../lambdas/contracts/connect-names.js';
import { NUMBER_OWNER_TAG, routeCallEnvironment } from '../lambdas/contracts/environment.js';
import { CALLER_ITEM_PREFIX } from '../lambdas/contracts/tables.js';
import { priceTableOf } from '../lambdas/domain/call-cost.js';
import { portfolioCatalogOf } from '../lambdas/domain/catalog.js';
import { publishedNumbersOf } from '../lambdas/domain/portfolio/loops.js';
import { queueFlowPlan } from '../lambdas/domain/portfolio/queue-flow.js';
import {
  type DeployedNames,
  routingEntriesOf,
} from '../lambdas/domain/portfolio/routing-entries.js';
import type { Portfolio } from '../lambdas/domain/portfolio/schema.js';
import { CallCenter } from './constructs/call-center.js';
import { ConnectInstance } from './constructs/connect-instance.js';
import { ContactFlow } from './constructs/contact-flow.js';
import { ContactRecordArchive } from './constructs/contact-record-archive.js';
import { ContactRecordIngest } from './constructs/contact-record-ingest.js';
import { FlowFunction } from './constructs/flow-function.js';
import { InstanceStorage } from './constructs/instance-storage.js';
import { PortfolioQueues } from './constructs/portfolio-queues.js';
import { RoutingTableSync } from './constructs/routing-table-sync.js';
import { grantItemActions } from './constructs/tables.js';
import { TrackingNumbers } from './constructs/tracking-numbers.js';

export interface TelephonyStackProps extends StackProps {
  readonly portfolio: Portfolio;
  /**
   * The portfolio file as given on the command line: the management API names it when it refuses
   * an edit of an entry the file declares. @default 'config/portfolio.yaml'
   */
  readonly portfolioFile?: string;
  readonly routingTable: dynamodb.ITableV2;
  readonly callLogTable: dynamodb.ITableV2;
  readonly recordingsBucket: s3.IBucket;
  readonly recordingsKey: kms.IKey;
  /** Where the raw contact records are archived (encrypted with recordingsKey). */
  readonly contactRecordArchive: s3.IBucket;
  /** The key of the callers' hashes, which the ingest reads. */
  readonly callerHashSecret: secretsmanager.ISecret;
  /** @default - a new Connect instance */
  readonly existingInstanceArn?: string;
  /** @default - `call-tracking-<account id>` */
  readonly instanceAlias?: string;
  /** The AssociatePhoneNumberContactFlow quota, requests a second. @default - 2 (Connect's) */
  readonly associationRateLimit?: number;
  /** How long route-call serves a known route past its cache life while DynamoDB fails. @default 24 */
  readonly routeMaxStaleHours?: number;
  /** Prefix of the names the stack gives Connect resources, so stages can share an instance. */
  readonly namePrefix: string;
  /**
   * Whether the stack points the instance's call recordings at the recordings bucket. Connect keeps
   * one recordings location per instance and console-made instances already have one.
   * @default - true for a new instance, false for an existing one
   */
  readonly configureRecordingStorage?: boolean;
  /**
   * Whether the stack streams the instance's contact trace records to its Kinesis stream (the call
   * log's source). Connect keeps one such stream per instance.
   * @default true
   */
  readonly configureContactRecordStorage?: boolean;
  /** The SES identity voicemail emails are sent from. @default - no email is sent */
  readonly voicemailFromEmail?: string;
  /** Days the call log keeps callers' data (DynamoDB TTL). @default - kept until erased */
  readonly callDataRetentionDays?: number;
  /**
   * Where a call's page is (the dashboard), for the voicemail email's link.
   * @default - set by the app to the API's URL (`/calls/{id}`)
   */
  readonly voicemailLinkBase?: string;
}

/**
 * Everything a call touches in Amazon Connect: the instance, its storage, the functions the flow
 * invokes, the inbound flow, the queues, the tracking numbers and their routing entries.
 */
export class TelephonyStack extends Stack {
  readonly instance: ConnectInstance;
  readonly contactRecordStream: kinesis.Stream;
  readonly routeCall: FlowFunction;
  readonly recordingControl: FlowFunction;
  readonly inboundFlow: ContactFlow;
  /** The CUSTOMER_QUEUE flow the inbound flow sets as the CustomerQueue hook before queueing. */
  readonly customerQueueFlow: ContactFlow;
  /** The AGENT_WHISPER flow the inbound flow sets as the AgentWhisper hook before queueing. */
  readonly agentWhisperFlow: ContactFlow;
  readonly trackingNumbers: TrackingNumbers;
  /** Each portfolio queue's bound on a caller's wait, in seconds, for the queue flows. */
  readonly queueMaxWaitSeconds: ReadonlyMap<string, number>;
  readonly contactRecordIngest: ContactRecordIngest;

  constructor(scope: Construct, id: string, props: TelephonyStackProps) {
    super(scope, id, props);
    const { portfolio } = props;
    this.instance = new ConnectInstance(this, 'Connect', {
      ...(props.existingInstanceArn ? { existingInstanceArn: props.existingInstanceArn } : {}),
      instanceAlias: props.instanceAlias ?? `${props.namePrefix}-${this.account}`,
    });
    const { instanceArn } = this.instance;

    // Contact records wait here for the call log; 7 days of retention covers a long ingest outage.
    this.contactRecordStream = new kinesis.Stream(this, 'ContactRecordStream', {
      streamMode: kinesis.StreamMode.ON_DEMAND,
      encryption: kinesis.StreamEncryption.MANAGED,
      retentionPeriod: Duration.days(7),
      // Transport, not state: without the stack no calls arrive, and an on-demand stream bills.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const configureRecordings = props.configureRecordingStorage ?? this.instance.created;
    // The caller's voicemail audio streams here (Kinesis Video); the ingest reads it back.
    const streamPrefix = `${props.namePrefix}-voicemail`;
    this.contactRecordIngest = new ContactRecordIngest(this, 'ContactRecordIngest', {
      stream: this.contactRecordStream,
      callLogTable: props.callLogTable,
      routingTable: props.routingTable,
      callerHashSecret: props.callerHashSecret,
      prices: priceTableOf(portfolio.pricing),
      ...(props.callDataRetentionDays
        ? { callDataRetentionDays: props.callDataRetentionDays }
        : {}),
      voicemail: {
        bucket: props.recordingsBucket,
        key: props.recordingsKey,
        streamPrefix,
        emails: Object.fromEntries(
          portfolio.locations.flatMap((l) => (l.voicemailEmail ? [[l.id, l.voicemailEmail]] : [])),
        ),
        ...(props.voicemailFromEmail ? { fromEmail: props.voicemailFromEmail } : {}),
        ...(props.voicemailLinkBase ? { linkBase: props.voicemailLinkBase } : {}),
      },
    });
    new ContactRecordArchive(this, 'ContactRecordArchive', {
      stream: this.contactRecordStream,
      bucket: props.contactRecordArchive,
      key: props.recordingsKey,
    });
    new InstanceStorage(this, 'Storage', {
      instanceArn,
      ...(configureRecordings
        ? {
            recordings: { bucket: props.recordingsBucket, key: props.recordingsKey },
            // Configured with the recordings: an instance the stack did not make keeps its own.
            mediaStreams: { prefix: streamPrefix, key: props.recordingsKey },
          }
        : {}),
      ...((props.configureContactRecordStorage ?? true)
        ? { contactRecordStream: this.contactRecordStream }
        : {}),
    });

    if (!this.instance.created && props.configureRecordingStorage === undefined) {
      // Synth cannot know (offline) whether an existing instance records anywhere; a teardown of
      // the stack that created it removed its recordings storage. Say so on every such synth.
      Annotations.of(this).addInfo(
        'recordings: the stack leaves the recordings storage of the instance in connectInstanceArn as it is. If this stack created that instance and was torn down since (cdk destroy removes the recordings storage, not the instance), deploy with -c recordingStorage=true, or calls are not recorded',
      );
    }

    this.routeCall = new FlowFunction(this, 'RouteCall', {
      instanceArn,
      handler: 'route-call',
      description: 'Answers the inbound flow: which location and route a dialed number belongs to',
      // Under the flow's 3 s InvocationTimeLimitSeconds: the handler's own budget is 1.5 s.
      timeout: Duration.seconds(3),
      memorySize: 512,
      environment: routeCallEnvironment.variables({
        routingTableName: props.routingTable.tableName,
        callLogTableName: props.callLogTable.tableName,
        budgetMs: undefined,
        maxStaleSeconds:
          props.routeMaxStaleHours === undefined
            ? undefined
            : String(props.routeMaxStaleHours * 3600),
      }),
    });
    grantItemActions(this.routeCall.function, props.routingTable, 'dynamodb:GetItem');
    // Of the call log, route-call reads only first-time-caller items (whether to tell the agent).
    this.routeCall.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem'],
        resources: [props.callLogTable.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${CALLER_ITEM_PREFIX}*`] },
        },
      }),
    );

    this.recordingControl = new FlowFunction(this, 'RecordingControl', {
      instanceArn,
      handler: 'recording-control',
      description:
        'Suspends call recording around the payments leg and stops it before a staff line (PCI DSS)',
      // The flow waits 4 s (InvocationTimeLimitSeconds); two SDK attempts take at most ~2.5 s.
      timeout: Duration.seconds(4),
    });
    this.recordingControl.role.addToPolicy(
      new iam.PolicyStatement({
        actions: [
          'connect:SuspendContactRecording',
          'connect:ResumeContactRecording',
          'connect:StopContactRecording',
        ],
        resources: [`${instanceArn}/contact/*`],
      }),
    );
    Validations.of(this.recordingControl.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${this.instance.nagArn}/contact/*]`,
      reason:
        'Contact ids are new for every call; the wildcard covers only the contacts of this Connect instance.',
    });

    // Names that a redeploy after a teardown cannot collide with (lambdas/contracts/connect-names.ts).
    const stackUuid = Fn.select(2, Fn.split('/', this.stackId));
    const namePrefix = connectNamePrefix(props.namePrefix, Fn.select(0, Fn.split('-', stackUuid)));
    const queues = new PortfolioQueues(this, 'Queues', {
      instanceArn,
      namePrefix,
      queues: portfolio.queues,
    });
    this.queueMaxWaitSeconds = queues.maxWaitSeconds;
    new CallCenter(this, 'CallCenter', {
      instanceArn,
      namePrefix,
      queues: portfolio.queues,
      routingProfiles: portfolio.routingProfiles,
      agents: portfolio.agents,
      queueArnOf: (queueId) => queues.arnOf(queueId),
    });

    const queuePlan = queueFlowPlan(portfolio);
    this.customerQueueFlow = new ContactFlow(this, 'CustomerQueueFlow', {
      instanceArn,
      file: 'customer-queue.json',
      type: 'CUSTOMER_QUEUE',
      name: customerQueueFlowName(namePrefix),
      description:
        'While a caller waits: holds, offers a callback or a message, takes the message at the wait bound (managed by CDK)',
      placeholders: {
        QueueOfferAfterSeconds: String(queuePlan.offerAfterSeconds),
        QueueOfferRounds: String(queuePlan.offerRounds),
      },
    });
    this.agentWhisperFlow = new ContactFlow(this, 'AgentWhisperFlow', {
      instanceArn,
      file: 'agent-whisper.json',
      type: 'AGENT_WHISPER',
      name: agentWhisperFlowName(namePrefix),
      description: 'Tells the agent the ad source and location of the call (managed by CDK)',
      placeholders: {},
    });

    this.inboundFlow = new ContactFlow(this, 'InboundFlow', {
      instanceArn,
      file: 'inbound-call.json',
      name: inboundFlowName(namePrefix),
      description: 'Tracks, records and routes calls to tracking numbers (managed by CDK)',
      placeholders: {
        RouteCallFunctionArn: this.routeCall.function.functionArn,
        RecordingControlFunctionArn: this.recordingControl.function.functionArn,
        StaticFallbackNumber: portfolio.defaults.staticFallbackNumber,
        CustomerQueueFlowArn: this.customerQueueFlow.flow.attrContactFlowArn,
        AgentWhisperFlowArn: this.agentWhisperFlow.flow.attrContactFlowArn,
      },
    });
    // A published flow is validated in full: the functions it invokes must be associated first.
    this.inboundFlow.flow.addResourceDependency(this.routeCall.association);
    this.inboundFlow.flow.addResourceDependency(this.recordingControl.association);

    this.trackingNumbers = new TrackingNumbers(this, 'TrackingNumbers', {
      instanceArn,
      contactFlowArn: this.inboundFlow.flow.attrContactFlowArn,
      trackingNumbers: portfolio.trackingNumbers,
      ...(props.associationRateLimit === undefined
        ? {}
        : { associationRateLimit: props.associationRateLimit }),
    });
    Validations.of(this.trackingNumbers).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${this.instance.nagArn}/phone-number/*]`,
      reason:
        "Older and ported numbers are legacy-phone-number resources, scoped to this instance, with ids unknown at synth: association is limited to this one flow, disassociation to numbers tagged as this stack's.",
    });
    // The disassociation's condition is on the tag: the flow carries it as well (tracking-numbers.ts).
    Tags.of(this.inboundFlow.flow).add(NUMBER_OWNER_TAG, this.stackName);

    const deployedNames: DeployedNames = {
      trackingNumberOf: (entry) => this.trackingNumbers.numberOf(entry),
      queueArnOf: (queueId) => queues.arnOf(queueId),
    };
    const routingEntries = new RoutingTableSync(this, 'RoutingEntries', {
      table: props.routingTable,
      entries: routingEntriesOf(portfolio, deployedNames),
      publishedNumbers: publishedNumbersOf(portfolio),
      catalog: portfolioCatalogOf(
        portfolio,
        deployedNames,
        props.portfolioFile ?? 'config/portfolio.yaml',
      ),
    });

    // A number may ring as soon as it is associated: its routing entry must be there first.
    this.trackingNumbers.association.node.addDependency(routingEntries);

    new CfnOutput(this, 'InstanceArn', { value: instanceArn });
    new CfnOutput(this, 'InboundFlowArn', { value: this.inboundFlow.flow.attrContactFlowArn });
    new CfnOutput(this, 'ContactRecordStreamArn', { value: this.contactRecordStream.streamArn });
    // No output per claimed number: a stack holds at most 200 outputs, and a portfolio may claim
    // more. The claimed numbers are listed by the API (GET /tracking-numbers) and by Connect.
  }
}

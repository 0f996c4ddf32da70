/**
 * The local routing system: dynalite in this process holding the routing table the portfolio
 * declares, the inbound flow with local ARNs, and a world in which the real route-call handler
 * answers the flow. `npm run call` runs one call through it.
 */
export {
  createTableInput,
  LOCAL_AWS,
  type LocalDynamo,
  type LocalDynamoOptions,
  startLocalDynamo,
} from './dynamo.js';
export {
  INBOUND_FLOW_FILE,
  LocalFlowFileError,
  localFlowFromFile,
  localInboundFlow,
  localInboundFlowText,
} from './flow.js';
export {
  LOCAL_ACCOUNT,
  LOCAL_INSTANCE_ARN,
  LOCAL_INSTANCE_ID,
  LOCAL_RECORDING_CONTROL_ARN,
  LOCAL_REGION,
  LOCAL_ROUTE_CALL_ARN,
  LOCAL_ROUTING_TABLE_NAME,
  type LocalStandIn,
  localDeployedNames,
  localQueueArn,
  localStandIns,
  queueIdOfLocalArn,
} from './names.js';
export { localRoutingEntries, writeLocalCatalog, writeRoutingEntries } from './routing-table.js';
export { type SilentServer, startSilentServer } from './silent-server.js';
export {
  DEFAULT_PORTFOLIO_PATH,
  type LocalCallOptions,
  type LocalCallResult,
  type LocalRoutingSystem,
  type LocalRoutingSystemOptions,
  type LocationHours,
  startLocalRoutingSystem,
} from './system.js';
export {
  CLOSE_GRACE_MS,
  createLocalWorld,
  type GivenLambdaAnswer,
  type HoursCheckSeen,
  type HoursMode,
  type HoursQuery,
  type LocalFunctionName,
  type LocalInvocation,
  type LocalWorld,
  type LocalWorldClosed,
  type LocalWorldContext,
  type LocalWorldOptions,
  type QueueHandOverSeen,
  type RecordingControlMode,
  type RecordingRequestSeen,
  type RouteCallMode,
  type TransferSeen,
} from './world.js';

import type { ActionType } from '../../language/index.js';
import type { ActionHandler } from './action-handler.js';
import { createCallbackContact, updateContactCallbackNumber } from './callback.js';
import { checkHoursOfOperation } from './check-hours.js';
import { checkMetricData } from './check-metric-data.js';
import { compare } from './compare.js';
import { disconnectParticipant } from './disconnect.js';
import { endFlowExecution } from './end-flow.js';
import { updateContactEventHooks } from './event-hooks.js';
import { updateFlowLogging } from './flow-logging.js';
import { getParticipantInput } from './get-participant-input.js';
import { invokeLambdaFunction } from './invoke-lambda.js';
import { loop } from './loop.js';
import { updateContactMediaStreaming } from './media-streaming.js';
import { messageParticipantIteratively } from './message-loop.js';
import { messageParticipant } from './message-participant.js';
import { transferContactToQueue, updateContactTargetQueue } from './queue.js';
import { updateContactRecording, updateContactRecordingAndAnalytics } from './recording.js';
import { transferToThirdParty } from './third-party-transfer.js';
import { updateContactAttributes } from './update-attributes.js';

export type { ActionHandler } from './action-handler.js';

/** How the simulator runs each action type: one handler per type, so a new type fails tsc here. */
export const ACTION_HANDLERS: Readonly<Record<ActionType, ActionHandler>> = {
  UpdateFlowLoggingBehavior: updateFlowLogging,
  InvokeLambdaFunction: invokeLambdaFunction,
  UpdateContactAttributes: updateContactAttributes,
  UpdateContactRecordingBehavior: updateContactRecording,
  UpdateContactRecordingAndAnalyticsBehavior: updateContactRecordingAndAnalytics,
  MessageParticipant: messageParticipant,
  Compare: compare,
  UpdateContactTargetQueue: updateContactTargetQueue,
  TransferContactToQueue: transferContactToQueue,
  GetParticipantInput: getParticipantInput,
  CheckHoursOfOperation: checkHoursOfOperation,
  CheckMetricData: checkMetricData,
  TransferParticipantToThirdParty: transferToThirdParty,
  DisconnectParticipant: disconnectParticipant,
  EndFlowExecution: endFlowExecution,
  UpdateContactEventHooks: updateContactEventHooks,
  MessageParticipantIteratively: messageParticipantIteratively,
  Loop: loop,
  UpdateContactCallbackNumber: updateContactCallbackNumber,
  CreateCallbackContact: createCallbackContact,
  UpdateContactMediaStreamingBehavior: updateContactMediaStreaming,
};

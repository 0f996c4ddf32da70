import { isQueueArn } from '../../../domain/connect-arn.js';
import { error, NEXT, type StepResult } from '../branches.js';
import type { SimulatedContact } from '../simulated-contact.js';
import { SIMULATED_TIME, seconds } from '../simulated-time.js';
import type { AgentStaffing } from '../types.js';
import type { ActionHandler } from './action-handler.js';

/** UpdateContactTargetQueue: sets the queue a later TransferContactToQueue hands the call to. */
export const updateContactTargetQueue: ActionHandler = (contact, action, parameters) => {
  if (contact.faulted(action)) {
    return error('NoMatchingError', 'injected fault: the queue could not be set');
  }
  const arn = String(parameters.QueueId);
  if (!isQueueArn(arn)) return error('NoMatchingError', `"${arn}" is not a queue ARN`);
  // The simulator knows no queue names: a queue is named by its id.
  contact.targetQueue = { arn, name: arn.split('/').at(-1) ?? arn };
  return { ...NEXT, note: `target queue ${arn}` };
};

/** How the wait in a queue ends, given who staffs it (undefined: the world does not say). */
const queueWait = (
  staffing: AgentStaffing | undefined,
): { waitSeconds: number; agentAnswers: boolean; note: string } => {
  switch (staffing) {
    case undefined:
      return {
        waitSeconds: SIMULATED_TIME.queueWaitSeconds,
        agentAnswers: false,
        note: `the caller waits ${SIMULATED_TIME.queueWaitSeconds} s, then hangs up`,
      };
    case 'available':
      return {
        waitSeconds: SIMULATED_TIME.agentAnswerSeconds,
        agentAnswers: true,
        note: `an agent answers after ${SIMULATED_TIME.agentAnswerSeconds} s`,
      };
    case 'busy':
    case 'none': {
      // No customer queue flow moves the caller on yet: they wait to the bound and hang up.
      const bound = SIMULATED_TIME.maxQueueWaitSeconds;
      const who = staffing === 'busy' ? 'no agent comes free' : 'nobody staffs the queue';
      return {
        waitSeconds: bound,
        agentAnswers: false,
        note: `${who}: the caller waited to the bound (${bound} s), then hangs up`,
      };
    }
  }
};

/**
 * The flow the contact's `hook` names, when the world can give flows: CustomerQueue runs while
 * nobody answers (without it the caller waits to the bound), AgentWhisper once an agent accepts.
 */
const hookFlowOf = (
  contact: SimulatedContact,
  hook: 'CustomerQueue' | 'AgentWhisper',
): { arn: string; document: unknown } | undefined => {
  const arn = contact.eventHooks[hook];
  if (arn === undefined || contact.world.flow === undefined) return undefined;
  const document = contact.world.flow(arn);
  if (document === undefined)
    throw contact.fail(`world.flow has no flow ${arn} (the ${hook} hook)`);
  return { arn, document };
};

/** Runs the customer queue flow to the end of the call; the wait is the flow's time. */
const runQueueFlow = async (
  contact: SimulatedContact,
  arn: string,
  by: string,
  flow: { arn: string; document: unknown },
  who: string,
): Promise<StepResult> => {
  const enqueuedMs = contact.clockMs;
  contact.reached = 'queued';
  contact.enqueuedMs = enqueuedMs;
  const end = await contact.runQueueFlow(flow.arn, flow.document);
  contact.queue = {
    arn,
    enqueuedSeconds: seconds(enqueuedMs),
    by,
    waitSeconds: seconds(end.endsAtMs - enqueuedMs),
  };
  return {
    branch: { kind: 'end', ...end },
    note: `queued in ${arn}; ${who}: the customer queue flow ${flow.arn} runs`,
  };
};

const enqueue = async (contact: SimulatedContact, arn: string, by: string): Promise<StepResult> => {
  const staffing = contact.world.agents?.(arn);
  const flow =
    staffing === 'busy' || staffing === 'none' ? hookFlowOf(contact, 'CustomerQueue') : undefined;
  if (flow !== undefined) {
    const who = staffing === 'busy' ? 'no agent comes free' : 'nobody staffs the queue';
    return runQueueFlow(contact, arn, by, flow, who);
  }
  const { waitSeconds, agentAnswers, note } = queueWait(staffing);
  const enqueuedMs = contact.clockMs;
  const answeredMs = enqueuedMs + waitSeconds * 1000;
  contact.reached = 'queued';
  contact.queue = {
    arn,
    enqueuedSeconds: seconds(enqueuedMs),
    by,
    waitSeconds,
    ...(agentAnswers ? { answeredByAgentSeconds: seconds(answeredMs) } : {}),
  };
  // The agent hears the whisper after accepting, before the caller is connected.
  const whisper = agentAnswers ? hookFlowOf(contact, 'AgentWhisper') : undefined;
  let connectedMs = answeredMs;
  if (whisper !== undefined) {
    contact.clockMs = answeredMs;
    connectedMs = await contact.runWhisperFlow(whisper.arn, whisper.document);
  }
  const endsAtMs = agentAnswers ? connectedMs + SIMULATED_TIME.talkSeconds * 1000 : answeredMs;
  return {
    branch: { kind: 'end', reason: 'CUSTOMER_DISCONNECT', endsAtMs },
    note: `queued in ${arn}; ${note}${whisper ? `; the agent hears the whisper flow ${whisper.arn}` : ''}`,
  };
};

/**
 * TransferContactToQueue: hands the call to the target queue, as the world says it goes. With
 * agents busy or none and a CustomerQueue hook, the customer queue flow runs (see simulate-call.ts).
 * In a customer queue flow it would move the call to another queue, which is not modelled.
 */
export const transferContactToQueue: ActionHandler = async (contact, action) => {
  if (contact.running.type === 'CUSTOMER_QUEUE') {
    throw contact.fail('a transfer from a customer queue flow to another queue is not modelled');
  }
  const queue = contact.targetQueue;
  if (queue === undefined) return error('NoMatchingError', 'no target queue is set');
  const behaviour = contact.world.queue(queue.arn);
  switch (behaviour) {
    case 'queued':
      return await enqueue(contact, queue.arn, action.Identifier);
    case 'at-capacity':
      return error('QueueAtCapacity', `${queue.arn} is at capacity`);
    case 'fail':
      return error('NoMatchingError', `the transfer to ${queue.arn} failed`);
    default:
      throw contact.fail(`world.queue gave ${JSON.stringify(behaviour)}`);
  }
};

import { isQueueArn } from '../../../domain/connect-arn.js';
import { error, NEXT } from '../branches.js';
import { SIMULATED_TIME, seconds } from '../simulated-time.js';
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

/** TransferContactToQueue: hands the call to the target queue, as the world says it goes. */
export const transferContactToQueue: ActionHandler = (contact, action) => {
  const queue = contact.targetQueue;
  if (queue === undefined) return error('NoMatchingError', 'no target queue is set');
  const behaviour = contact.world.queue(queue.arn);
  switch (behaviour) {
    case 'queued': {
      contact.reached = 'queued';
      contact.queue = {
        arn: queue.arn,
        enqueuedSeconds: seconds(contact.clockMs),
        by: action.Identifier,
      };
      return {
        branch: {
          kind: 'end',
          reason: 'CUSTOMER_DISCONNECT',
          endsAtMs: contact.clockMs + SIMULATED_TIME.queueWaitSeconds * 1000,
        },
        note: `queued in ${queue.arn}; the caller waits ${SIMULATED_TIME.queueWaitSeconds} s, then hangs up`,
      };
    }
    case 'at-capacity':
      return error('QueueAtCapacity', `${queue.arn} is at capacity`);
    case 'fail':
      return error('NoMatchingError', `the transfer to ${queue.arn} failed`);
    default:
      throw contact.fail(`world.queue gave ${JSON.stringify(behaviour)}`);
  }
};

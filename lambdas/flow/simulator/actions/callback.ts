import { isQueueArn } from '../../../domain/connect-arn.js';
import { isE164 } from '../../../domain/phone-number.js';
import { error, NEXT } from '../branches.js';
import { seconds } from '../simulated-time.js';
import type { ActionHandler } from './action-handler.js';

/**
 * UpdateContactCallbackNumber: the number a later CreateCallbackContact calls. Not E.164:
 * InvalidCallbackNumber; one the world says the instance cannot dial: CallbackNumberNotDialable.
 */
export const updateContactCallbackNumber: ActionHandler = (contact, _action, parameters) => {
  const number = String(parameters.CallbackNumber);
  if (!isE164(number)) return error('InvalidCallbackNumber', `"${number}" is not an E.164 number`);
  if (contact.world.dialable?.(number) === false) {
    return error('CallbackNumberNotDialable', `the instance cannot dial ${number}`);
  }
  contact.callbackNumber = number;
  return { ...NEXT, note: `callback number ${number}` };
};

/**
 * CreateCallbackContact: records the callback (the number set, else the caller's; QueueId, else the
 * target queue). The callback contact itself is not simulated. A QueueId that is not a queue ARN
 * takes NoMatchingError (an assumption: the reference lists no error of its own).
 */
export const createCallbackContact: ActionHandler = (contact, action, parameters) => {
  if (contact.faulted(action)) {
    return error('NoMatchingError', 'injected fault: the callback was not created');
  }
  const given = typeof parameters.QueueId === 'string' ? parameters.QueueId : undefined;
  if (given !== undefined && !isQueueArn(given)) {
    return error('NoMatchingError', `"${given}" is not a queue ARN`);
  }
  const queueArn = given ?? contact.targetQueue?.arn ?? contact.queue?.arn;
  const number = contact.callbackNumber ?? contact.call.caller;
  const initialDelaySeconds = Number(parameters.InitialCallDelaySeconds);
  contact.callback = {
    number,
    ...(queueArn === undefined ? {} : { queueArn }),
    initialDelaySeconds,
    createdSeconds: seconds(contact.clockMs),
  };
  return {
    ...NEXT,
    note: `callback to ${number} in ${initialDelaySeconds} s${queueArn === undefined ? '' : ` via ${queueArn}`}`,
  };
};

import { error } from '../branches.js';
import type { ActionHandler } from './action-handler.js';

/** CheckHoursOfOperation: asks the world whether the hours are open now (True) or not (False). */
export const checkHoursOfOperation: ActionHandler = (contact, action, parameters) => {
  const isOpen = contact.needs('isOpen', 'hours of operation');
  if (contact.faulted(action)) {
    return error('NoMatchingError', 'injected fault: the hours could not be checked');
  }
  const hoursOfOperationId =
    typeof parameters.HoursOfOperationId === 'string' ? parameters.HoursOfOperationId : undefined;
  if (hoursOfOperationId === undefined && contact.targetQueue === undefined) {
    return error('NoMatchingError', 'no hours given and no target queue to take them from');
  }
  const open = isOpen(
    {
      ...(hoursOfOperationId === undefined ? {} : { hoursOfOperationId }),
      ...(contact.targetQueue === undefined ? {} : { queueArn: contact.targetQueue.arn }),
    },
    new Date(contact.call.at.getTime() + contact.clockMs),
  );
  const operand = open ? 'True' : 'False';
  const index = (action.Transitions.Conditions ?? []).findIndex(
    ({ Condition }) => Condition.Operands[0] === operand,
  );
  return { branch: { kind: 'condition', index }, note: open ? 'open' : 'closed' };
};

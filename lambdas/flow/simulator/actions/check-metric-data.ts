import { isQueueArn } from '../../../domain/connect-arn.js';
import type { AgentMetricType } from '../../language/index.js';
import { error } from '../branches.js';
import { matches } from '../conditions.js';
import type { AgentStaffing } from '../types.js';
import type { ActionHandler } from './action-handler.js';

/** Whether the metric counts anyone, given who staffs the queue (Online ⊇ Staffed ⊇ Available). */
const counted: Readonly<Record<AgentMetricType, readonly AgentStaffing[]>> = {
  NumberOfAgentsAvailable: ['available'],
  NumberOfAgentsStaffed: ['available', 'busy'],
  NumberOfAgentsOnline: ['available', 'busy'],
};

/**
 * CheckMetricData on an agent metric: asks the world who staffs the queue (QueueId, else the
 * target queue), and takes the NumberGreaterThan 0 condition when the metric counts an agent,
 * else NextAction. With no queue to read, Connect takes the Error branch.
 */
export const checkMetricData: ActionHandler = (contact, action, parameters) => {
  const agents = contact.needs('agents', 'staffing');
  if (contact.faulted(action)) {
    return error('NoMatchingError', 'injected fault: the metric could not be read');
  }
  const given = typeof parameters.QueueId === 'string' ? parameters.QueueId : undefined;
  const queueArn = given ?? contact.targetQueue?.arn;
  if (queueArn === undefined) {
    return error('NoMatchingError', 'no QueueId and no target queue to read the metric of');
  }
  if (!isQueueArn(queueArn)) return error('NoMatchingError', `"${queueArn}" is not a queue ARN`);
  const metric = parameters.MetricType as AgentMetricType;
  const staffing = agents(queueArn);
  // The simulator knows whether anyone counts, not how many: one stands for "some".
  const value = counted[metric].includes(staffing) ? '1' : '0';
  const index = (action.Transitions.Conditions ?? []).findIndex(({ Condition }) =>
    matches(Condition.Operator, value, Condition.Operands[0]),
  );
  const note = `${metric} ${value === '1' ? '> 0' : '= 0'} on ${queueArn} (agents ${staffing})`;
  return index >= 0
    ? { branch: { kind: 'condition', index }, note }
    : { branch: { kind: 'next' }, note };
};

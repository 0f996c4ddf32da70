/**
 * The contact attribute the inbound flow sets just before it decides on a queue transfer, so the
 * contact record says why the call was (or was not) queued. Written by contact-flows/inbound-call.json,
 * read by the call log.
 */
export const STAFFING_ATTRIBUTE = 'staffing';

/**
 * `staffed`: an agent was staffed on the queue, the call was handed to it; `unstaffed`: nobody was
 * staffed (or the check failed); `closed`: the queue's hours were closed.
 */
export const STAFFING_VALUES = ['staffed', 'unstaffed', 'closed'] as const;

export type Staffing = (typeof STAFFING_VALUES)[number];

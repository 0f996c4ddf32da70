/**
 * Amazon Connect ARNs, in one place: the portfolio, the handlers and the stack all check them with
 * these patterns, so an ARN one of them accepts the others accept too.
 *
 * `arn:<partition>:connect:<region>:<12-digit account>:instance/<instance id>[/<type>/<id>]`. The
 * partition may be `aws`, `aws-cn` or `aws-us-gov`. Connect's own ids are UUIDs; any id of word
 * characters and dashes is accepted, as every check in this project has always done.
 */

/** An instance ARN; group 1 is the instance id. */
export const CONNECT_INSTANCE_ARN_PATTERN =
  /^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance\/([\w-]+)$/;

/** A queue ARN; group 1 is the instance id, group 2 the queue id. */
export const CONNECT_QUEUE_ARN_PATTERN =
  /^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance\/([\w-]+)\/queue\/([\w-]+)$/;

/** A contact flow ARN; group 1 is the instance id, group 2 the flow id. */
export const CONNECT_CONTACT_FLOW_ARN_PATTERN =
  /^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance\/([\w-]+)\/contact-flow\/([\w-]+)$/;

/** The instance id of an instance ARN (the Connect APIs take the id), or undefined. */
export const instanceIdOf = (arn: unknown): string | undefined =>
  typeof arn === 'string' ? CONNECT_INSTANCE_ARN_PATTERN.exec(arn)?.[1] : undefined;

/** The instance and flow ids of a contact flow ARN, or undefined. */
export const contactFlowIdsOf = (
  arn: unknown,
): { instanceId: string; contactFlowId: string } | undefined => {
  const match = typeof arn === 'string' ? CONNECT_CONTACT_FLOW_ARN_PATTERN.exec(arn) : null;
  return match?.[1] && match[2] ? { instanceId: match[1], contactFlowId: match[2] } : undefined;
};

export const isQueueArn = (value: unknown): value is string =>
  typeof value === 'string' && CONNECT_QUEUE_ARN_PATTERN.test(value);

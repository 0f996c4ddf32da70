import { contactFlowIdsOf, instanceIdOf } from './connect-arn.js';
import { E164_PATTERN } from './phone-number.js';
import {
  parseJsonProperty,
  type ResourceChange,
  type ResourceProperties,
} from './resource-change.js';

/**
 * Which tracking numbers one deploy step points at the inbound contact flow, and which it
 * detaches, decided from the request alone.
 *
 * ResourceProperties:
 * - `InstanceArn`: the Connect instance that holds the numbers.
 * - `ContactFlowArn`: the flow to send them to (a flow of that instance).
 * - `PhoneNumbers`: JSON of the E.164 numbers (CloudFormation turns scalars into strings).
 *
 * The physical id is `phone-numbers:<instance ARN>`, deliberately NOT the flow ARN. Were it the flow,
 * a new flow would make CloudFormation replace the resource: the new one associates every number
 * with the new flow, then the old one's Delete disassociates the very same numbers, leaving them
 * pointing nowhere. Keyed on the instance, a new flow is an Update (association is a put, so it
 * simply repoints each number), and only a new instance replaces the resource, where the old Delete
 * rightly cleans up the old instance. Consequence: declare one such resource per instance.
 */

/** The resource properties are malformed. */
export class InvalidAssociationPropertiesError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`cannot associate the phone numbers: ${problems.join('; ')}`);
    this.name = 'InvalidAssociationPropertiesError';
  }
}

export type AssociationProperties = ResourceProperties;

export interface AssociationTarget {
  readonly instanceArn: string;
  /** The instance id: the Connect APIs take it, not the ARN. */
  readonly instanceId: string;
  /** The flow id: the last segment of the flow ARN. */
  readonly contactFlowId: string;
  readonly phoneNumbers: readonly string[];
}

const parseNumbers = (value: unknown): unknown[] | string => {
  const json = parseJsonProperty(value, 'PhoneNumbers');
  if (typeof json === 'string') return json;
  return Array.isArray(json.value)
    ? json.value
    : 'PhoneNumbers must be a JSON array of E.164 numbers';
};

/** Validates the properties of a Create or Update. Throws {@link InvalidAssociationPropertiesError}. */
export const parseAssociationProperties = (props: AssociationProperties): AssociationTarget => {
  const problems: string[] = [];
  const { InstanceArn: instanceArn, ContactFlowArn: flowArn } = props;
  const instanceId = instanceIdOf(instanceArn);
  if (!instanceId) {
    problems.push(
      `InstanceArn ${String(instanceArn)} is not a Connect instance ARN (arn:aws:connect:<region>:<account>:instance/<id>)`,
    );
  }
  const flow = contactFlowIdsOf(flowArn);
  if (!flow) {
    problems.push(
      `ContactFlowArn ${String(flowArn)} is not a contact flow ARN (…:instance/<id>/contact-flow/<id>)`,
    );
  } else if (instanceId && flow.instanceId !== instanceId) {
    problems.push(
      `ContactFlowArn ${String(flowArn)} belongs to another instance than ${String(instanceArn)}: use a flow of the instance that holds the numbers`,
    );
  }
  const raw = parseNumbers(props.PhoneNumbers);
  const phoneNumbers: string[] = [];
  if (typeof raw === 'string') problems.push(raw);
  else {
    raw.forEach((number, index) => {
      if (typeof number === 'string' && E164_PATTERN.test(number)) phoneNumbers.push(number);
      else {
        problems.push(
          `PhoneNumbers[${index}] ${JSON.stringify(number)} is not an E.164 number (e.g. +15125550100)`,
        );
      }
    });
  }
  if (problems.length > 0 || !instanceId || !flow) {
    throw new InvalidAssociationPropertiesError(problems);
  }
  return {
    instanceArn: instanceArn as string,
    instanceId,
    contactFlowId: flow.contactFlowId,
    phoneNumbers: [...new Set(phoneNumbers)],
  };
};

/**
 * The instance and numbers of earlier properties. Lenient on purpose: a Delete that throws leaves
 * the stack in DELETE_FAILED, so whatever cannot be read is left alone.
 */
export const previousNumbers = (
  props: AssociationProperties | undefined,
): { instanceArn: string; instanceId: string; phoneNumbers: string[] } | undefined => {
  const instanceArn = props?.InstanceArn;
  const instanceId = instanceIdOf(instanceArn);
  const raw = parseNumbers(props?.PhoneNumbers);
  if (!instanceId || typeof instanceArn !== 'string' || typeof raw === 'string') return undefined;
  const numbers = raw.filter((n): n is string => typeof n === 'string' && E164_PATTERN.test(n));
  return { instanceArn, instanceId, phoneNumbers: [...new Set(numbers)] };
};

export const physicalIdOf = (instanceArn: string): string => `phone-numbers:${instanceArn}`;

export interface AssociationPlan {
  readonly physicalResourceId: string;
  /** Undefined when a Delete cannot name an instance: nothing to do. */
  readonly instanceArn: string | undefined;
  readonly instanceId: string | undefined;
  /** Numbers to point at the flow (none on Delete). */
  readonly associate: readonly string[];
  readonly contactFlowId: string | undefined;
  /** Numbers to detach from any flow. */
  readonly disassociate: readonly string[];
}

/** Pure: decides from the request alone which numbers to associate and which to disassociate. */
export const planAssociation = (change: ResourceChange): AssociationPlan => {
  if (change.requestType === 'Delete') {
    const previous = previousNumbers(change.properties);
    return {
      physicalResourceId: change.physicalResourceId,
      instanceArn: previous?.instanceArn,
      instanceId: previous?.instanceId,
      associate: [],
      contactFlowId: undefined,
      disassociate: previous?.phoneNumbers ?? [],
    };
  }
  const target = parseAssociationProperties(change.properties);
  const base = {
    physicalResourceId: physicalIdOf(target.instanceArn),
    instanceArn: target.instanceArn,
    instanceId: target.instanceId,
    associate: target.phoneNumbers,
    contactFlowId: target.contactFlowId,
  };
  if (change.requestType === 'Create') return { ...base, disassociate: [] };
  const previous = previousNumbers(change.oldProperties);
  // Another instance means another physical id: CloudFormation replaces the resource and the old
  // one's Delete disassociates its numbers in its own instance.
  if (!previous || previous.instanceArn !== target.instanceArn)
    return { ...base, disassociate: [] };
  const kept = new Set(target.phoneNumbers);
  return { ...base, disassociate: previous.phoneNumbers.filter((n) => !kept.has(n)) };
};

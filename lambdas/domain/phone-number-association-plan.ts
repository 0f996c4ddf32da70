import { contactFlowIdsOf, instanceIdOf } from './connect-arn.js';
import { E164_PATTERN } from './phone-number.js';
import {
  parseJsonProperty,
  type ResourceChange,
  type ResourceProperties,
} from './resource-change.js';

/**
 * Which tracking numbers one deploy step points at the inbound contact flow, and which it
 * detaches, decided from the request alone: only what changed between the old and the new
 * properties (the association API is rate-limited, so untouched numbers are left alone).
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

/** The numbers a resource's properties point at one flow of one instance. */
export interface AssociationState {
  readonly instanceArn: string;
  readonly instanceId: string;
  /** Undefined when earlier properties name no readable flow: treated as a flow change. */
  readonly contactFlowId: string | undefined;
  readonly phoneNumbers: readonly string[];
}

/**
 * The state earlier properties describe. Lenient on purpose: a Delete that throws leaves the stack
 * in DELETE_FAILED, so whatever cannot be read is left alone.
 */
export const previousState = (
  props: AssociationProperties | undefined,
): AssociationState | undefined => {
  const instanceArn = props?.InstanceArn;
  const instanceId = instanceIdOf(instanceArn);
  const raw = parseNumbers(props?.PhoneNumbers);
  if (!instanceId || typeof instanceArn !== 'string' || typeof raw === 'string') return undefined;
  const numbers = raw.filter((n): n is string => typeof n === 'string' && E164_PATTERN.test(n));
  const flow = contactFlowIdsOf(props?.ContactFlowArn);
  return {
    instanceArn,
    instanceId,
    contactFlowId: flow?.instanceId === instanceId ? flow.contactFlowId : undefined,
    phoneNumbers: [...new Set(numbers)],
  };
};

export const physicalIdOf = (instanceArn: string): string => `phone-numbers:${instanceArn}`;

/** One call to Connect: point a number at the target's flow, or detach it from any flow. */
export interface AssociationStep {
  readonly phoneNumber: string;
  readonly action: 'associate' | 'disassociate';
}

/** What one request asks: the state it starts from and the one it must leave behind. */
export interface AssociationPlan {
  readonly physicalResourceId: string;
  /** What the numbers point at before (as CloudFormation believes): none on Create. */
  readonly source: AssociationState | undefined;
  /** What they must point at after: none on Delete. */
  readonly target: AssociationTarget | undefined;
}

/** Reads the request. Throws {@link InvalidAssociationPropertiesError} on a bad Create or Update. */
export const planAssociation = (change: ResourceChange): AssociationPlan => {
  if (change.requestType === 'Delete') {
    return {
      physicalResourceId: change.physicalResourceId,
      source: previousState(change.properties),
      target: undefined,
    };
  }
  const target = parseAssociationProperties(change.properties);
  return {
    physicalResourceId: physicalIdOf(target.instanceArn),
    source: change.requestType === 'Update' ? previousState(change.oldProperties) : undefined,
    target,
  };
};

/**
 * The calls that move the numbers from `source` to `target`, associations first:
 * - a number added, or every number when the flow changes (or `everything`): associate;
 * - a number no longer listed: disassociate;
 * - another instance: associate every number of the target; the old instance's numbers are left
 *   to the old resource's Delete (another instance is another physical id, so CloudFormation
 *   replaces the resource and deletes the old one).
 */
export const stepsBetween = (
  source: AssociationState | undefined,
  target: AssociationState | undefined,
  { everything = false }: { readonly everything?: boolean } = {},
): AssociationStep[] => {
  const associate = (phoneNumber: string): AssociationStep => ({
    phoneNumber,
    action: 'associate',
  });
  const disassociate = (phoneNumber: string): AssociationStep => ({
    phoneNumber,
    action: 'disassociate',
  });
  if (!target) return (source?.phoneNumbers ?? []).map(disassociate);
  if (!source || source.instanceArn !== target.instanceArn) {
    return target.phoneNumbers.map(associate);
  }
  const all = everything || source.contactFlowId !== target.contactFlowId;
  const before = new Set(source.phoneNumbers);
  const after = new Set(target.phoneNumbers);
  return [
    ...target.phoneNumbers.filter((n) => all || !before.has(n)).map(associate),
    ...source.phoneNumbers.filter((n) => !after.has(n)).map(disassociate),
  ];
};

/**
 * How much of the change a request carries out, given the change before it on the same resource
 * that never finished (it failed or timed out, and left its progress behind):
 * - `changes`: no unfinished change, or one unrelated to this request: the diff alone.
 * - `undo`: this request rolls the unfinished change back (CloudFormation's rollback Update with
 *   old and new swapped, or the Delete of a failed Create): only the numbers that change reached,
 *   its first `attempted` steps, are touched; numbers it never reached keep pointing where they
 *   pointed before (a `number:` entry may still serve an older flow).
 * - `everything`: this request moves on from the unfinished change's intended state (a deploy after
 *   `--no-rollback`): that state was never reached, so the diff cannot be trusted and every number
 *   of the target is associated again.
 */
export type AssociationScope =
  | { readonly kind: 'changes' }
  | { readonly kind: 'undo'; readonly attempted: number }
  | { readonly kind: 'everything' };

/** What an unfinished change left behind: the states it moved between (as keys) and its reach. */
export interface UnfinishedChange {
  readonly sourceKey: string | null;
  readonly targetKey: string | null;
  /** Its steps that may have reached Connect, in order. */
  readonly attempted: number;
}

/** A string that is equal for equal states (numbers in any order), null for none. */
export const stateKeyOf = (state: AssociationState | undefined): string | null =>
  state
    ? JSON.stringify([
        state.instanceArn,
        state.contactFlowId ?? null,
        [...state.phoneNumbers].sort(),
      ])
    : null;

/** The scope of a request from source to target, after `unfinished` (see {@link AssociationScope}). */
export const scopeAfter = (
  unfinished: UnfinishedChange | undefined,
  keys: { readonly sourceKey: string | null; readonly targetKey: string | null },
): AssociationScope => {
  if (!unfinished || unfinished.targetKey !== keys.sourceKey) return { kind: 'changes' };
  return unfinished.sourceKey === keys.targetKey
    ? { kind: 'undo', attempted: unfinished.attempted }
    : { kind: 'everything' };
};

/** The calls of a request in its scope, in the order they are made (deterministic). */
export const planSteps = (plan: AssociationPlan, scope: AssociationScope): AssociationStep[] => {
  const { source, target } = plan;
  switch (scope.kind) {
    case 'changes':
      return stepsBetween(source, target);
    case 'everything':
      return stepsBetween(source, target, { everything: true });
    case 'undo': {
      // The unfinished change went the other way: from this target to this source.
      const reached = new Set(
        stepsBetween(target, source)
          .slice(0, scope.attempted)
          .map((step) => step.phoneNumber),
      );
      return stepsBetween(source, target, { everything: true }).filter((step) =>
        reached.has(step.phoneNumber),
      );
    }
  }
};

import {
  AssociatePhoneNumberContactFlowCommand,
  ConnectClient,
  DisassociatePhoneNumberContactFlowCommand,
  paginateListPhoneNumbersV2,
  ResourceNotFoundException,
} from '@aws-sdk/client-connect';
import middy from '@middy/core';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import {
  type CustomResourceResult,
  realSleep,
} from '../adapters/cloudformation/custom-resource.js';
import { contactFlowIdsOf, instanceIdOf } from '../domain/connect-arn.js';
import { E164_PATTERN } from '../domain/phone-number.js';

/**
 * onEvent handler of the custom resource that points the tracking numbers at the inbound contact
 * flow: no CloudFormation resource links a phone number to a flow (aws-cdk-lib/custom-resources
 * `Provider`; a thrown error fails the deploy with its message in the CloudFormation events).
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
 *
 * There is no API that reads which flow a number is associated with, so nothing here reads,
 * compares and writes: every Create and Update associates every number again, which is idempotent.
 */

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** The resource properties are malformed. */
export class InvalidAssociationPropertiesError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`cannot associate the phone numbers: ${problems.join('; ')}`);
    this.name = 'InvalidAssociationPropertiesError';
  }
}

/** Some numbers are not claimed in the instance, so they have no id to associate. */
export class NumbersNotInInstanceError extends Error {
  constructor(
    readonly numbers: readonly string[],
    readonly instanceArn: string,
  ) {
    super(
      `${numbers.join(', ')} ${numbers.length === 1 ? 'is' : 'are'} not claimed in Connect instance ${instanceArn}: port or claim ${numbers.length === 1 ? 'it' : 'them'} first, or declare ${numbers.length === 1 ? 'it' : 'them'} with \`claim:\` in the portfolio`,
    );
    this.name = 'NumbersNotInInstanceError';
  }
}

/** Connect refused an association or disassociation (after the SDK's retries). */
export class AssociationFailedError extends Error {
  constructor(operation: string, phoneNumber: string, cause: unknown) {
    const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(
      `${operation} ${phoneNumber} failed (${reason}); retrying the deploy is safe, association is idempotent`,
      { cause },
    );
    this.name = 'AssociationFailedError';
  }
}

// ---------------------------------------------------------------------------------------------
// Plan: pure
// ---------------------------------------------------------------------------------------------

export type AssociationProperties = Readonly<Record<string, unknown>>;

export interface AssociationTarget {
  readonly instanceArn: string;
  /** The instance id: the Connect APIs take it, not the ARN. */
  readonly instanceId: string;
  /** The flow id: the last segment of the flow ARN. */
  readonly contactFlowId: string;
  readonly phoneNumbers: readonly string[];
}

const parseNumbers = (value: unknown): unknown[] | string => {
  if (typeof value !== 'string') return `PhoneNumbers must be a JSON string, got ${typeof value}`;
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed : 'PhoneNumbers must be a JSON array of E.164 numbers';
  } catch (error) {
    return `PhoneNumbers is not valid JSON (${(error as Error).message})`;
  }
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

/** Pure: decides from the event alone which numbers to associate and which to disassociate. */
export const planAssociation = (event: CloudFormationCustomResourceEvent): AssociationPlan => {
  if (event.RequestType === 'Delete') {
    const previous = previousNumbers(event.ResourceProperties);
    return {
      physicalResourceId: event.PhysicalResourceId,
      instanceArn: previous?.instanceArn,
      instanceId: previous?.instanceId,
      associate: [],
      contactFlowId: undefined,
      disassociate: previous?.phoneNumbers ?? [],
    };
  }
  const target = parseAssociationProperties(event.ResourceProperties);
  const base = {
    physicalResourceId: physicalIdOf(target.instanceArn),
    instanceArn: target.instanceArn,
    instanceId: target.instanceId,
    associate: target.phoneNumbers,
    contactFlowId: target.contactFlowId,
  };
  if (event.RequestType === 'Create') return { ...base, disassociate: [] };
  const previous = previousNumbers(event.OldResourceProperties);
  // Another instance means another physical id: CloudFormation replaces the resource and the old
  // one's Delete disassociates its numbers in its own instance.
  if (!previous || previous.instanceArn !== target.instanceArn)
    return { ...base, disassociate: [] };
  const kept = new Set(target.phoneNumbers);
  return { ...base, disassociate: previous.phoneNumbers.filter((n) => !kept.has(n)) };
};

// ---------------------------------------------------------------------------------------------
// Connect adapter
// ---------------------------------------------------------------------------------------------

/** Every number claimed in the instance, by E.164 number, with its id. */
export const listPhoneNumberIds = async (
  client: ConnectClient,
  instanceArn: string,
): Promise<Map<string, string>> => {
  const ids = new Map<string, string>();
  // TargetArn, not InstanceId: with an instance ARN the API lists only the numbers claimed to it.
  const pages = paginateListPhoneNumbersV2({ client, pageSize: 1000 }, { TargetArn: instanceArn });
  for await (const page of pages) {
    for (const summary of page.ListPhoneNumbersSummaryList ?? []) {
      if (summary.PhoneNumber && summary.PhoneNumberId) {
        ids.set(summary.PhoneNumber, summary.PhoneNumberId);
      }
    }
  }
  return ids;
};

// ---------------------------------------------------------------------------------------------
// Handler
// ---------------------------------------------------------------------------------------------

export interface AssociatePhoneNumbersDependencies {
  readonly connect: ConnectClient;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly log?: (line: string) => void;
  /**
   * Listings before a number counts as missing. A number claimed by the same deploy a moment ago
   * may not be listed yet (⚠ unverified whether ListPhoneNumbersV2 lags ClaimPhoneNumber), so a
   * miss is looked up again after a pause instead of failing the deploy at once.
   */
  readonly listAttempts?: number;
}

const LIST_RETRY_DELAY_MS = 3_000;

/** The onEvent function, with its collaborators passed in so tests can replace them. */
export const associatePhoneNumbers =
  ({
    connect,
    sleep = realSleep,
    log = (line) => console.log(line),
    listAttempts = 3,
  }: AssociatePhoneNumbersDependencies) =>
  async (event: CloudFormationCustomResourceEvent): Promise<CustomResourceResult> => {
    const plan = planAssociation(event);
    const { instanceArn, instanceId } = plan;
    let disassociated = 0;
    if (instanceArn && instanceId && (plan.associate.length > 0 || plan.disassociate.length > 0)) {
      let ids: Map<string, string>;
      try {
        ids = await listPhoneNumberIds(connect, instanceArn);
      } catch (error) {
        // On Delete an instance that is already gone has no associations left to undo.
        if (event.RequestType === 'Delete' && error instanceof ResourceNotFoundException) {
          ids = new Map();
        } else throw error;
      }
      const missing = () => plan.associate.filter((n) => !ids.has(n));
      for (let attempt = 2; missing().length > 0 && attempt <= listAttempts; attempt += 1) {
        await sleep(LIST_RETRY_DELAY_MS * (attempt - 1));
        ids = await listPhoneNumberIds(connect, instanceArn);
      }
      if (missing().length > 0) throw new NumbersNotInInstanceError(missing(), instanceArn);

      // One call at a time: Connect's control plane throttles hard, and the client already backs
      // off adaptively; parallel calls would only burn its retries.
      for (const phoneNumber of plan.associate) {
        try {
          await connect.send(
            new AssociatePhoneNumberContactFlowCommand({
              InstanceId: instanceId,
              PhoneNumberId: ids.get(phoneNumber),
              ContactFlowId: plan.contactFlowId,
            }),
          );
        } catch (error) {
          throw new AssociationFailedError('associating', phoneNumber, error);
        }
      }
      for (const phoneNumber of plan.disassociate) {
        const phoneNumberId = ids.get(phoneNumber);
        // Released or moved out of the instance: it is associated with none of its flows.
        if (!phoneNumberId) continue;
        try {
          await connect.send(
            new DisassociatePhoneNumberContactFlowCommand({
              InstanceId: instanceId,
              PhoneNumberId: phoneNumberId,
            }),
          );
          disassociated += 1;
        } catch (error) {
          // Not associated (or gone): the state we want.
          if (error instanceof ResourceNotFoundException) continue;
          throw new AssociationFailedError('disassociating', phoneNumber, error);
        }
      }
    }
    log(
      JSON.stringify({
        level: 'info',
        message: 'phone numbers associated',
        requestType: event.RequestType,
        instanceArn: instanceArn ?? 'none',
        contactFlowId: plan.contactFlowId ?? 'none',
        // Tracking numbers are published business lines, not callers: safe to log.
        associated: plan.associate,
        disassociated,
      }),
    );
    return event.RequestType === 'Delete'
      ? { PhysicalResourceId: plan.physicalResourceId }
      : {
          PhysicalResourceId: plan.physicalResourceId,
          Data: { PhoneNumberCount: String(plan.associate.length) },
        };
  };

// Module scope: one client per container. Adaptive retry rate-limits on the client side once
// Connect starts throttling (TooManyRequestsException / ThrottlingException) and more attempts
// than the default 3 let a deploy of many numbers ride it out.
const connect = new ConnectClient({ retryMode: 'adaptive', maxAttempts: 8 });

export const handler = middy(associatePhoneNumbers({ connect }));

import {
  AssociatePhoneNumberContactFlowCommand,
  ConnectClient,
  DisassociatePhoneNumberContactFlowCommand,
  paginateListPhoneNumbersV2,
  ResourceNotFoundException,
} from '@aws-sdk/client-connect';

/**
 * Which contact flow a claimed phone number sends its calls to: the number ids of an instance and
 * the (dis)association calls, made one at a time so Connect's throttling is ridden out.
 */

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

/**
 * A client for Connect's control plane. Adaptive retry rate-limits on the client side once
 * Connect starts throttling (TooManyRequestsException / ThrottlingException) and more attempts
 * than the default 3 let a deploy of many numbers ride it out.
 */
export const createPhoneNumberFlowsClient = (): ConnectClient =>
  new ConnectClient({ retryMode: 'adaptive', maxAttempts: 8 });

/** Connect's answer when the instance (or the association) does not exist. */
export const isMissingResource = (error: unknown): boolean =>
  error instanceof ResourceNotFoundException;

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

const LIST_RETRY_DELAY_MS = 3_000;

export interface LookupOptions {
  /** Listings in all, the first included. */
  readonly attempts: number;
  readonly sleep: (ms: number) => Promise<void>;
}

/**
 * The number ids of the instance, listed again after a growing pause while some of `wanted` are
 * not among them, up to `attempts` listings; the caller decides what a number still missing means.
 */
export const findPhoneNumberIds = async (
  client: ConnectClient,
  instanceArn: string,
  wanted: readonly string[],
  { attempts, sleep }: LookupOptions,
): Promise<Map<string, string>> => {
  let ids = await listPhoneNumberIds(client, instanceArn);
  const missing = () => wanted.filter((n) => !ids.has(n));
  for (let attempt = 2; missing().length > 0 && attempt <= attempts; attempt += 1) {
    await sleep(LIST_RETRY_DELAY_MS * (attempt - 1));
    ids = await listPhoneNumberIds(client, instanceArn);
  }
  return ids;
};

/** A claimed number: as the deployer knows it, and as Connect's APIs name it. */
export interface ClaimedNumber {
  readonly phoneNumber: string;
  readonly phoneNumberId: string;
}

/**
 * Points each number at the flow, in order. Throws {@link AssociationFailedError} naming the first
 * number Connect refuses; the numbers after it are not attempted.
 */
export const associateWithFlow = async (
  client: ConnectClient,
  flow: { readonly instanceId: string; readonly contactFlowId: string },
  numbers: readonly ClaimedNumber[],
): Promise<void> => {
  // One call at a time: Connect's control plane throttles hard, and the client already backs
  // off adaptively; parallel calls would only burn its retries.
  for (const { phoneNumber, phoneNumberId } of numbers) {
    try {
      await client.send(
        new AssociatePhoneNumberContactFlowCommand({
          InstanceId: flow.instanceId,
          PhoneNumberId: phoneNumberId,
          ContactFlowId: flow.contactFlowId,
        }),
      );
    } catch (error) {
      throw new AssociationFailedError('associating', phoneNumber, error);
    }
  }
};

/**
 * Detaches each number from whatever flow it points at, one at a time; returns how many were
 * detached. Throws {@link AssociationFailedError} on any refusal but "not associated".
 */
export const disassociateFromFlows = async (
  client: ConnectClient,
  instanceId: string,
  numbers: readonly ClaimedNumber[],
): Promise<number> => {
  let disassociated = 0;
  for (const { phoneNumber, phoneNumberId } of numbers) {
    try {
      await client.send(
        new DisassociatePhoneNumberContactFlowCommand({
          InstanceId: instanceId,
          PhoneNumberId: phoneNumberId,
        }),
      );
      disassociated += 1;
    } catch (error) {
      // Not associated (or gone): the state we want.
      if (isMissingResource(error)) continue;
      throw new AssociationFailedError('disassociating', phoneNumber, error);
    }
  }
  return disassociated;
};

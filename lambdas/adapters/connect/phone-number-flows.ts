import {
  AccessDeniedException,
  AssociatePhoneNumberContactFlowCommand,
  ConnectClient,
  DisassociatePhoneNumberContactFlowCommand,
  ListPhoneNumbersV2Command,
  ResourceNotFoundException,
} from '@aws-sdk/client-connect';
import { NUMBER_OWNER_TAG } from '../../contracts/environment.js';
import { type PacedSender, StillThrottledError } from './paced-requests.js';

/**
 * Which contact flow a claimed phone number sends its calls to: the number ids of an instance and
 * the (dis)association calls, each one sent through a paced sender (paced-requests.ts) that keeps
 * to Connect's request rate and retries its throttling.
 */

/** Connect refused an association or disassociation. */
export class AssociationFailedError extends Error {
  constructor(
    operation: string,
    phoneNumber: string,
    cause: unknown,
    advice = 'retrying the deploy is safe, association is idempotent',
  ) {
    const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(`${operation} ${phoneNumber} failed (${reason}); ${advice}`, { cause });
    this.name = 'AssociationFailedError';
  }
}

/**
 * A client for Connect's control plane that does not retry by itself: the paced sender retries
 * throttling on its own schedule, and SDK retries on top would send requests outside the pacing.
 */
export const createPhoneNumberFlowsClient = (): ConnectClient =>
  new ConnectClient({ maxAttempts: 1 });

/** Connect's answer when the instance (or the association) does not exist. */
export const isMissingResource = (error: unknown): boolean =>
  error instanceof ResourceNotFoundException;

const LIST_RETRY_DELAY_MS = 3_000;

/** A claimed number: as the deployer knows it, and as Connect's APIs name it. */
export interface ClaimedNumber {
  readonly phoneNumber: string;
  readonly phoneNumberId: string;
}

export interface LookupOptions {
  /** Listings in all, the first included. */
  readonly attempts: number;
  readonly sleep: (ms: number) => Promise<void>;
}

/**
 * Every number claimed in the instance, by E.164 number, with its id; each page sent through
 * `send` (the association paces them; a plain read sends them as they come).
 */
export const listPhoneNumberIds = async (
  client: ConnectClient,
  instanceArn: string,
  send: <T>(request: () => Promise<T>) => Promise<T> = (request) => request(),
): Promise<Map<string, string>> => {
  const ids = new Map<string, string>();
  let nextToken: string | undefined;
  do {
    const token = nextToken;
    // TargetArn, not InstanceId: with an instance ARN the API lists only the numbers claimed to it.
    const page = await send(() =>
      client.send(
        new ListPhoneNumbersV2Command({
          TargetArn: instanceArn,
          MaxResults: 1000,
          ...(token ? { NextToken: token } : {}),
        }),
      ),
    );
    for (const summary of page.ListPhoneNumbersSummaryList ?? []) {
      if (summary.PhoneNumber && summary.PhoneNumberId) {
        ids.set(summary.PhoneNumber, summary.PhoneNumberId);
      }
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return ids;
};

/** The Connect calls of the association, every one through `sender`. */
export const phoneNumberFlows = (client: ConnectClient, sender: PacedSender) => {
  const listIds = (instanceArn: string) => listPhoneNumberIds(client, instanceArn, sender.send);

  return {
    listIds,

    /**
     * The number ids of the instance, listed again after a growing pause while some of `wanted`
     * are not among them, up to `attempts` listings; the caller decides what a miss means.
     */
    async findIds(
      instanceArn: string,
      wanted: readonly string[],
      { attempts, sleep }: LookupOptions,
    ): Promise<Map<string, string>> {
      let ids = await listIds(instanceArn);
      const missing = () => wanted.filter((n) => !ids.has(n));
      for (let attempt = 2; missing().length > 0 && attempt <= attempts; attempt += 1) {
        await sleep(LIST_RETRY_DELAY_MS * (attempt - 1));
        ids = await listIds(instanceArn);
      }
      return ids;
    },

    /** Points the number at the flow (a put: repeating it is harmless). */
    async associate(
      flow: { readonly instanceId: string; readonly contactFlowId: string },
      { phoneNumber, phoneNumberId }: ClaimedNumber,
    ): Promise<void> {
      try {
        await sender.send(() =>
          client.send(
            new AssociatePhoneNumberContactFlowCommand({
              InstanceId: flow.instanceId,
              PhoneNumberId: phoneNumberId,
              ContactFlowId: flow.contactFlowId,
            }),
          ),
        );
      } catch (error) {
        if (error instanceof StillThrottledError) throw error;
        throw new AssociationFailedError('associating', phoneNumber, error);
      }
    },

    /**
     * Detaches the number from whatever flow it points at; false when it pointed at none (the
     * state wanted). Throws {@link AssociationFailedError} on any other refusal.
     */
    async disassociate(
      instanceId: string,
      { phoneNumber, phoneNumberId }: ClaimedNumber,
    ): Promise<boolean> {
      try {
        await sender.send(() =>
          client.send(
            new DisassociatePhoneNumberContactFlowCommand({
              InstanceId: instanceId,
              PhoneNumberId: phoneNumberId,
            }),
          ),
        );
        return true;
      } catch (error) {
        if (isMissingResource(error)) return false;
        if (error instanceof StillThrottledError) throw error;
        if (error instanceof AccessDeniedException) {
          // The role may detach only the numbers that carry the stack's tag (tracking-numbers.ts).
          throw new AssociationFailedError(
            'disassociating',
            phoneNumber,
            error,
            `the stack detaches only numbers tagged ${NUMBER_OWNER_TAG}=<telephony stack name>: tag it (aws connect tag-resource --resource-arn <its ARN> --tags ${NUMBER_OWNER_TAG}=<stack name>) and retry the deploy`,
          );
        }
        throw new AssociationFailedError('disassociating', phoneNumber, error);
      }
    },
  };
};

export type PhoneNumberFlows = ReturnType<typeof phoneNumberFlows>;

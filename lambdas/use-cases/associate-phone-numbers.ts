import type { ConnectClient } from '@aws-sdk/client-connect';
import { realSleep } from '../adapters/cloudformation/custom-resource.js';
import {
  associateWithFlow,
  type ClaimedNumber,
  disassociateFromFlows,
  findPhoneNumberIds,
  isMissingResource,
} from '../adapters/connect/phone-number-flows.js';
import { planAssociation } from '../domain/phone-number-association-plan.js';
import type { ResourceChange } from '../domain/resource-change.js';

/**
 * Points the tracking numbers at the inbound contact flow: no CloudFormation resource links a
 * phone number to a flow. The plan (domain/phone-number-association-plan.ts) carried out in Connect.
 *
 * There is no API that reads which flow a number is associated with, so nothing here reads,
 * compares and writes: every Create and Update associates every number again, which is idempotent.
 */

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

/** What an association did: the resource's physical id and how many numbers point at the flow. */
export interface PhoneNumbersAssociated {
  readonly physicalResourceId: string;
  readonly phoneNumberCount: number;
}

/** The numbers of `numbers` the instance holds, with their ids. */
const claimedAmong = (numbers: readonly string[], ids: Map<string, string>): ClaimedNumber[] =>
  numbers.flatMap((phoneNumber) => {
    const phoneNumberId = ids.get(phoneNumber);
    return phoneNumberId ? [{ phoneNumber, phoneNumberId }] : [];
  });

/** The association, with its collaborators passed in so tests can replace them. */
export const associatePhoneNumbers =
  ({
    connect,
    sleep = realSleep,
    log = (line) => console.log(line),
    listAttempts = 3,
  }: AssociatePhoneNumbersDependencies) =>
  async (change: ResourceChange): Promise<PhoneNumbersAssociated> => {
    const plan = planAssociation(change);
    const { instanceArn, instanceId, contactFlowId } = plan;
    let disassociated = 0;
    if (instanceArn && instanceId && (plan.associate.length > 0 || plan.disassociate.length > 0)) {
      let ids: Map<string, string>;
      try {
        ids = await findPhoneNumberIds(connect, instanceArn, plan.associate, {
          attempts: listAttempts,
          sleep,
        });
      } catch (error) {
        // On Delete an instance that is already gone has no associations left to undo.
        if (change.requestType === 'Delete' && isMissingResource(error)) {
          ids = new Map();
        } else throw error;
      }
      const missing = plan.associate.filter((n) => !ids.has(n));
      if (missing.length > 0) throw new NumbersNotInInstanceError(missing, instanceArn);

      // The flow is undefined only on Delete, which associates nothing.
      if (contactFlowId) {
        await associateWithFlow(
          connect,
          { instanceId, contactFlowId },
          claimedAmong(plan.associate, ids),
        );
      }
      // A number no longer listed was released or moved out of the instance: it is associated
      // with none of its flows.
      disassociated = await disassociateFromFlows(
        connect,
        instanceId,
        claimedAmong(plan.disassociate, ids),
      );
    }
    log(
      JSON.stringify({
        level: 'info',
        message: 'phone numbers associated',
        requestType: change.requestType,
        instanceArn: instanceArn ?? 'none',
        contactFlowId: contactFlowId ?? 'none',
        // Tracking numbers are published business lines, not callers: safe to log.
        associated: plan.associate,
        disassociated,
      }),
    );
    return { physicalResourceId: plan.physicalResourceId, phoneNumberCount: plan.associate.length };
  };

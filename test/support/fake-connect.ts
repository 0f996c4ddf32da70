import {
  AssociatePhoneNumberContactFlowCommand,
  ConnectClient,
  DisassociatePhoneNumberContactFlowCommand,
  ListPhoneNumbersV2Command,
  ResourceNotFoundException,
  ThrottlingException,
} from '@aws-sdk/client-connect';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import {
  type AssociationProgress,
  type AssociationProgressStore,
  ProgressTakenOverError,
} from '../../lambdas/domain/association-progress.js';
import { INSTANCE_ID } from './fixtures.js';

/**
 * What the phone-number association talks to, faked: a clock that moves only when slept on, a
 * Connect instance that keeps each number's flow and throttles the (dis)association calls beyond
 * its rate as the real API does, and a progress store in memory.
 */

export interface FakeClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const fakeClock = (): FakeClock => {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  };
};

/** The E.164 number `+1512555` followed by `index` in 4 digits, and its Connect id. */
export const fakeNumber = (index: number): string => `+1512555${String(index).padStart(4, '0')}`;
export const fakeNumberId = (number: string): string => `pn-${number.slice(1)}`;

export interface FakeConnectOptions {
  readonly clock: FakeClock;
  /** The numbers claimed in the instance. */
  readonly claimed: readonly string[];
  /** (Dis)association requests admitted in any one second. @default 2 */
  readonly requestsPerSecond?: number;
}

/** Connect, on the mocked client: `flows` is phone number id → flow id. */
export const fakeConnect = ({ clock, claimed, requestsPerSecond = 2 }: FakeConnectOptions) => {
  const mock = mockClient(ConnectClient);
  const flows = new Map<string, string>();
  const counts = { list: 0, associate: 0, disassociate: 0, throttled: 0 };
  /** Numbers whose association Connect refuses (a fault a test injects). */
  const refused = new Set<string>();
  const admitted: number[] = [];

  const admit = () => {
    const now = clock.now();
    while (admitted.length > 0 && (admitted[0] as number) <= now - 1_000) admitted.shift();
    if (admitted.length >= requestsPerSecond) {
      counts.throttled += 1;
      throw new ThrottlingException({ message: 'Rate exceeded', $metadata: {} });
    }
    admitted.push(now);
  };
  const checkInstance = (instanceId: string | undefined) => {
    if (instanceId !== INSTANCE_ID) {
      throw new ResourceNotFoundException({ message: 'no such instance', $metadata: {} });
    }
  };

  mock.on(ListPhoneNumbersV2Command).callsFake((input) => {
    counts.list += 1;
    const start = Number(input.NextToken ?? 0);
    const end = start + (input.MaxResults ?? 10);
    return {
      ListPhoneNumbersSummaryList: claimed
        .slice(start, end)
        .map((n) => ({ PhoneNumber: n, PhoneNumberId: fakeNumberId(n) })),
      ...(end < claimed.length ? { NextToken: String(end) } : {}),
    };
  });
  mock.on(AssociatePhoneNumberContactFlowCommand).callsFake((input) => {
    admit();
    counts.associate += 1;
    checkInstance(input.InstanceId);
    if (refused.has(input.PhoneNumberId)) throw new Error('AccessDeniedException: refused');
    flows.set(input.PhoneNumberId, input.ContactFlowId);
    return {};
  });
  mock.on(DisassociatePhoneNumberContactFlowCommand).callsFake((input) => {
    admit();
    counts.disassociate += 1;
    checkInstance(input.InstanceId);
    if (!flows.delete(input.PhoneNumberId)) {
      throw new ResourceNotFoundException({ message: 'not associated', $metadata: {} });
    }
    return {};
  });

  return {
    mock,
    flows,
    counts,
    refused,
    /** The flow each of `numbers` points at (undefined: none). */
    flowsOf: (numbers: readonly string[]) => numbers.map((n) => flows.get(fakeNumberId(n))),
    resetCounts: () => {
      Object.assign(counts, { list: 0, associate: 0, disassociate: 0, throttled: 0 });
    },
  };
};

/**
 * The progress store, in memory; `writes` counts what a DynamoDB table would be billed. A write
 * is refused as the table's condition refuses it: unless the stored record is `owner`'s (or, with
 * no owner, unless there is none).
 */
export const memoryProgressStore = () => {
  const items = new Map<string, AssociationProgress>();
  const stats = { writes: 0 };
  const store: AssociationProgressStore = {
    read: async (id) => items.get(id),
    write: async (id, progress, owner) => {
      if (items.get(id)?.requestId !== owner) {
        throw new ProgressTakenOverError(id, progress.requestId);
      }
      stats.writes += 1;
      items.set(id, progress);
    },
    remove: async (id, owner) => {
      if (items.get(id)?.requestId !== owner) throw new ProgressTakenOverError(id, owner);
      items.delete(id);
    },
  };
  return { store, items, stats };
};

type AsyncHandler = (event: CloudFormationCustomResourceEvent) => Promise<object>;

/**
 * What the CDK provider framework does with an asynchronous custom resource: onEvent once, then
 * isComplete at once and every `queryIntervalMs` until it answers complete; an error of either
 * rejects, as the framework fails the resource. Returns the onEvent answer and the polls made.
 */
export const runProvider = async (
  handler: AsyncHandler,
  event: CloudFormationCustomResourceEvent,
  clock: FakeClock,
  queryIntervalMs = 5_000,
): Promise<{ answer: object; polls: number }> => {
  const answer = await handler(event);
  const pollEvent = { ...event, ...answer } as CloudFormationCustomResourceEvent;
  for (let polls = 1; polls <= 10_000; polls += 1) {
    const result = (await handler(pollEvent)) as { IsComplete?: boolean };
    if (result.IsComplete) return { answer, polls };
    await clock.sleep(queryIntervalMs);
  }
  throw new Error('the provider never completed');
};

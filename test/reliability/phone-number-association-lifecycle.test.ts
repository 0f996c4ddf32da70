import { ConnectClient } from '@aws-sdk/client-connect';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { associatePhoneNumbersHandler } from '../../lambdas/handlers/associate-phone-numbers.js';
import type { AssociatePhoneNumbersDependencies } from '../../lambdas/use-cases/associate-phone-numbers.js';
import {
  fakeClock,
  fakeConnect,
  fakeNumber,
  fakeNumberId,
  memoryProgressStore,
  runProvider,
} from '../support/fake-connect.js';
import { customResourceEvents } from '../support/fixtures.js';
import { ASSOCIATION_PHYSICAL_ID, associationProps } from '../support/resource-changes.js';

// Importing the handler module builds the production store: give it a table name to read.
vi.hoisted(() => {
  process.env.PROGRESS_TABLE_NAME ??= 'progress-not-used';
});

/**
 * The association provider's whole life against a Connect that throttles beyond 2 requests a
 * second, on a fake clock: what takes Connect about 20 minutes runs here in about a second.
 */

const COUNT = 2_000;
const numbers = Array.from({ length: COUNT }, (_, i) => fakeNumber(i));
const spare = Array.from({ length: 30 }, (_, i) => fakeNumber(COUNT + i));
const events = customResourceEvents('FlowAssociation');
const request = (event: CloudFormationCustomResourceEvent, requestId: string) =>
  ({ ...event, RequestId: requestId }) as CloudFormationCustomResourceEvent;

const setUp = (overrides: Partial<AssociatePhoneNumbersDependencies> = {}) => {
  const clock = fakeClock();
  const connect = fakeConnect({ clock, claimed: [...numbers, ...spare] });
  const progress = memoryProgressStore();
  const handler = associatePhoneNumbersHandler({
    connect: new ConnectClient({ region: 'us-east-1' }),
    progress: progress.store,
    clock,
    random: () => 0.5,
    log: () => {},
    ...overrides,
  });
  const run = (event: CloudFormationCustomResourceEvent) => runProvider(handler, event, clock);
  return { clock, connect, progress, handler, run };
};

const everyFlow = (flows: readonly (string | undefined)[]) => [...new Set(flows)];

describe('the phone-number association provider, from create to delete', () => {
  let world: ReturnType<typeof setUp>;
  beforeEach(() => {
    world = setUp();
  });

  it('creates 2,000, updates 30 of them, then deletes, each touching only what it must', async () => {
    const { clock, connect, progress, run } = world;

    // Create: every number, paced under the rate, in several isComplete invocations.
    const created = await run(request(events.create(associationProps(numbers)), 'create'));
    expect(everyFlow(connect.flowsOf(numbers))).toEqual(['flow-a']);
    expect(connect.counts).toMatchObject({ associate: 2_000, disassociate: 0, throttled: 0 });
    // 1.6 requests a second (80 % of the 2/s quota): 1,250 s of association, plus the pauses.
    expect(clock.now()).toBeGreaterThan(1_250_000);
    expect(clock.now()).toBeLessThan(1_400_000);
    expect(created.polls).toBeGreaterThan(5);
    expect(progress.items.size).toBe(0);

    // Update: 15 numbers out, 15 in; the other 1,985 are not touched.
    connect.resetCounts();
    const updated = [...numbers.slice(15), ...spare.slice(0, 15)];
    await run(
      request(
        events.update(
          associationProps(updated),
          associationProps(numbers),
          ASSOCIATION_PHYSICAL_ID,
        ),
        'update',
      ),
    );
    expect(connect.counts).toMatchObject({ associate: 15, disassociate: 15, throttled: 0 });
    expect(everyFlow(connect.flowsOf(updated))).toEqual(['flow-a']);
    expect(everyFlow(connect.flowsOf(numbers.slice(0, 15)))).toEqual([undefined]);

    // Delete: every number detached.
    connect.resetCounts();
    await run(request(events.remove(associationProps(updated), ASSOCIATION_PHYSICAL_ID), 'delete'));
    expect(connect.counts).toMatchObject({ associate: 0, disassociate: 2_000 });
    expect(connect.flows.size).toBe(0);
    expect(progress.items.size).toBe(0);
  });

  it('rolls a failed create back by undoing only the numbers it reached', async () => {
    const { connect, progress, run } = world;
    // A number (as a `number:` entry) that already serves an older flow, far down the list.
    connect.flows.set(fakeNumberId(numbers[1_500] as string), 'older-flow');
    connect.refused.add(fakeNumberId(numbers[700] as string));

    const create = run(request(events.create(associationProps(numbers)), 'create'));

    await expect(create).rejects.toThrowError(
      `associating ${numbers[700]} failed (Error: AccessDeniedException: refused)`,
    );
    expect(connect.flows.size).toBe(701); // 700 new, and the older one
    expect(progress.items.size).toBe(1); // left for the rollback

    connect.resetCounts();
    await run(
      request(events.remove(associationProps(numbers), ASSOCIATION_PHYSICAL_ID), 'rollback'),
    );
    // The batch under way when it failed (20 steps) is undone too: it may have reached Connect.
    expect(connect.counts.disassociate).toBe(720);
    expect([...connect.flows]).toEqual([[fakeNumberId(numbers[1_500] as string), 'older-flow']]);
    expect(progress.items.size).toBe(0);
  });

  it('rolls a failed update back by undoing only what it reached, old and new swapped', async () => {
    const { connect, run } = world;
    const before = numbers.slice(0, 100);
    await run(request(events.create(associationProps(before)), 'create'));
    // The update moves every number to flow-b, and Connect refuses the 50th.
    connect.refused.add(fakeNumberId(before[49] as string));
    const update = run(
      request(
        events.update(
          associationProps(before, 'flow-b'),
          associationProps(before),
          ASSOCIATION_PHYSICAL_ID,
        ),
        'update',
      ),
    );
    await expect(update).rejects.toThrowError(/associating \+15125550049 failed/);
    connect.refused.clear();

    connect.resetCounts();
    await run(
      request(
        events.update(
          associationProps(before),
          associationProps(before, 'flow-b'),
          ASSOCIATION_PHYSICAL_ID,
        ),
        'rollback',
      ),
    );
    expect(connect.counts.associate).toBe(60); // the 49 moved, the refused one and its batch
    expect(everyFlow(connect.flowsOf(before))).toEqual(['flow-a']);
  });

  it('rolls back without a call an update refused before its first call', async () => {
    const { connect, run } = world;
    const before = numbers.slice(0, 10);
    await run(request(events.create(associationProps(before)), 'create'));
    const unknown = '+19995550100';
    const after = [...before.slice(1), unknown];
    const update = (properties: string[], old: string[], id: string) =>
      run(
        request(
          events.update(
            associationProps(properties),
            associationProps(old),
            ASSOCIATION_PHYSICAL_ID,
          ),
          id,
        ),
      );

    await expect(update(after, before, 'update')).rejects.toThrowError(
      `${unknown} is not claimed in Connect instance`,
    );
    connect.resetCounts();
    await update(before, after, 'rollback');

    expect(connect.counts).toMatchObject({ associate: 0, disassociate: 0 });
    expect(everyFlow(connect.flowsOf(before))).toEqual(['flow-a']);
  });

  it("rolls back an update CloudFormation timed out while the update's waiter still runs", async () => {
    const { connect, progress, handler, run } = world;
    const before = numbers.slice(0, 100);
    await run(request(events.create(associationProps(before)), 'create'));
    const update = request(
      events.update(
        associationProps(before, 'flow-b'),
        associationProps(before),
        ASSOCIATION_PHYSICAL_ID,
      ),
      'update',
    );
    const answer = await handler(update);
    const rollback = request(
      events.update(
        associationProps(before),
        associationProps(before, 'flow-b'),
        ASSOCIATION_PHYSICAL_ID,
      ),
      'rollback',
    );

    // The update's isComplete call is under way when the rollback's onEvent arrives.
    const [stale] = await Promise.allSettled([
      handler({ ...update, ...answer } as CloudFormationCustomResourceEvent),
      handler(rollback),
    ]);
    await run(rollback);

    // The stale call stopped at its next write: it neither overwrote nor removed the rollback's.
    expect(stale).toMatchObject({ status: 'rejected', reason: { name: 'ProgressTakenOverError' } });
    expect(everyFlow(connect.flowsOf(before))).toEqual(['flow-a']);
    expect(progress.items.size).toBe(0);
  });

  it('rides out throttling by backing off when set above the real quota, losing nothing', async () => {
    // The provider believes the quota is 5/s; Connect allows 2/s.
    const { connect, run } = setUp({ rateLimitPerSecond: 5 });
    const some = numbers.slice(0, 300);

    await run(request(events.create(associationProps(some)), 'create'));

    expect(everyFlow(connect.flowsOf(some))).toEqual(['flow-a']);
    expect(connect.counts.associate).toBe(300);
    expect(connect.counts.throttled).toBeGreaterThan(0);
  });
});

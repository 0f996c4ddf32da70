import { describe, expect, it } from 'vitest';
import {
  QUEUE_FLOW_LEAD_SECONDS,
  queueFlowPlan,
} from '../../lambdas/domain/portfolio/queue-flow.js';
import { QUEUE_MAX_WAIT_RANGE } from '../../lambdas/domain/portfolio/schema.js';

const queue = (maxWaitSeconds?: number) => ({
  id: 'q',
  name: 'Q',
  ...(maxWaitSeconds === undefined ? {} : { maxWaitSeconds }),
});

describe('queueFlowPlan', () => {
  it('offers from 60 s by default and keeps the 30-minute default bound', () => {
    const plan = queueFlowPlan({ queues: [queue()], defaults: {} });
    expect(plan).toMatchObject({ offerAfterSeconds: 60, maxWaitSeconds: 1800 });
    expect(plan.offerRounds).toBe(22);
    expect(plan.worstCaseSeconds).toBeLessThanOrEqual(1800);
  });

  it('keeps the smallest bound of all queues: one flow serves them all', () => {
    const plan = queueFlowPlan({ queues: [queue(3600), queue(300)], defaults: {} });
    expect(plan.maxWaitSeconds).toBe(300);
    expect(plan.worstCaseSeconds).toBeLessThanOrEqual(300);
  });

  it('never exceeds any bound the schema allows, nor Connect loop count of 100', () => {
    for (let wait = QUEUE_MAX_WAIT_RANGE.min; wait <= QUEUE_MAX_WAIT_RANGE.max; wait += 7) {
      for (const offer of [10, 60, 600]) {
        const plan = queueFlowPlan({
          queues: [queue(wait)],
          defaults: { queueOfferAfterSeconds: offer },
        });
        expect(plan.worstCaseSeconds, `${wait}/${offer}`).toBeLessThanOrEqual(wait);
        expect(plan.offerRounds).toBeLessThanOrEqual(100);
        expect(plan.offerAfterSeconds).toBeGreaterThanOrEqual(1);
      }
    }
    // The shortest bound still holds after the greeting and one hold.
    expect(queueFlowPlan({ queues: [queue(30)], defaults: {} }).offerAfterSeconds).toBe(
      30 - QUEUE_FLOW_LEAD_SECONDS,
    );
  });
});

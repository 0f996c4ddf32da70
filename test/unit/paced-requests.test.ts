import { ThrottlingException, TooManyRequestsException } from '@aws-sdk/client-connect';
import { describe, expect, it } from 'vitest';
import {
  backoffDelayMs,
  createPacedSender,
  isThrottling,
  StillThrottledError,
} from '../../lambdas/adapters/connect/paced-requests.js';

const throttled = () => new ThrottlingException({ message: 'Rate exceeded', $metadata: {} });

/** A clock that moves only when slept on. */
const fakeClock = () => {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
  };
};

describe('backoffDelayMs', () => {
  it('doubles its ceiling from the base up to the cap, waiting in the upper half of it', () => {
    const options = { baseMs: 1_000, capMs: 8_000 };
    const lowest = [0, 1, 2, 3, 4].map((retry) => backoffDelayMs(retry, () => 0, options));
    const highest = [0, 1, 2, 3, 4].map((retry) => backoffDelayMs(retry, () => 1, options));

    expect(lowest).toEqual([500, 1_000, 2_000, 4_000, 4_000]);
    expect(highest).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
    expect(backoffDelayMs(2, () => 0.5, options)).toBe(3_000);
  });
});

describe('isThrottling', () => {
  it("is Connect's ThrottlingException or TooManyRequestsException, or SDK-marked throttling", () => {
    expect(isThrottling(throttled())).toBe(true);
    expect(isThrottling(new TooManyRequestsException({ message: 'slow', $metadata: {} }))).toBe(
      true,
    );
    expect(isThrottling(Object.assign(new Error('x'), { $retryable: { throttling: true } }))).toBe(
      true,
    );
    expect(isThrottling(new Error('ThrottlingException'))).toBe(false);
  });
});

describe('createPacedSender', () => {
  it('starts requests no faster than the rate', async () => {
    const clock = fakeClock();
    const started: number[] = [];
    const { send } = createPacedSender({ requestsPerSecond: 2, clock });

    for (let i = 0; i < 4; i += 1) await send(async () => started.push(clock.now()));

    expect(started).toEqual([0, 500, 1_000, 1_500]);
  });

  it('retries throttling after a growing, jittered wait, then succeeds', async () => {
    const clock = fakeClock();
    let calls = 0;
    const { send, stats } = createPacedSender({ requestsPerSecond: 1, clock, random: () => 0 });

    const result = await send(async () => {
      calls += 1;
      if (calls <= 2) throw throttled();
      return 'done';
    });

    expect(result).toBe('done');
    expect(clock.sleeps).toEqual([500, 500, 1_000]); // backoff 500, turn 500 more; backoff 1,000
    expect(stats).toEqual({ requests: 3, throttled: 2 });
  });

  it('gives up with StillThrottledError after its retries', async () => {
    const { send, stats } = createPacedSender({
      requestsPerSecond: 1,
      clock: fakeClock(),
      maxRetries: 2,
    });

    await expect(
      send(async () => {
        throw throttled();
      }),
    ).rejects.toBeInstanceOf(StillThrottledError);
    expect(stats.requests).toBe(3);
  });

  it('gives up before its backoff would pass 30 s in all, so one step stays bounded', async () => {
    const clock = fakeClock();
    // Longest jitter: the waits would be 1, 2, 4, 8, 16 and 20 s (51 s); 15 s + 16 s passes 30.
    const { send, stats } = createPacedSender({ requestsPerSecond: 1, clock, random: () => 1 });

    await expect(
      send(async () => {
        throw throttled();
      }),
    ).rejects.toBeInstanceOf(StillThrottledError);
    expect(stats.requests).toBe(5);
    expect(clock.now()).toBe(15_000);
  });

  it('lets any other error through at once', async () => {
    const { send, stats } = createPacedSender({ requestsPerSecond: 1, clock: fakeClock() });

    await expect(
      send(async () => {
        throw new Error('AccessDenied');
      }),
    ).rejects.toThrowError('AccessDenied');
    expect(stats).toEqual({ requests: 1, throttled: 0 });
  });

  it('refuses a rate that is not positive', () => {
    expect(() => createPacedSender({ requestsPerSecond: 0, clock: fakeClock() })).toThrowError(
      'requestsPerSecond must be a positive number, got 0',
    );
  });
});

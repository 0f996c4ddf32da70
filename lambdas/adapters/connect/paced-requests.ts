import { ThrottlingException, TooManyRequestsException } from '@aws-sdk/client-connect';
import { realSleep } from '../cloudformation/custom-resource.js';

/**
 * Connect's control plane is rate-limited per account (AssociatePhoneNumberContactFlow: 2 requests
 * a second by default, shared with the console and every other caller), so each request here waits
 * its turn at a set rate, and a throttled one is retried after an exponential backoff with jitter.
 * The clock and the randomness are passed in, so tests run hours of pacing in milliseconds.
 */

/** Time as the pacing sees it: real in Lambda, simulated in tests. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: realSleep,
};

/** Connect said "slow down" (or the SDK classified the error as throttling). */
export const isThrottling = (error: unknown): boolean =>
  error instanceof ThrottlingException ||
  error instanceof TooManyRequestsException ||
  (error as { $retryable?: { throttling?: boolean } } | undefined)?.$retryable?.throttling === true;

/** A request was still throttled after every retry: the caller saves its progress and yields. */
export class StillThrottledError extends Error {
  constructor(
    readonly retries: number,
    cause: unknown,
  ) {
    super(
      `Connect kept throttling after ${retries} retries: another caller is using the account's request rate, or the configured rate is above the account's quota`,
      { cause },
    );
    this.name = 'StillThrottledError';
  }
}

export interface BackoffOptions {
  /** The first retry's ceiling. */
  readonly baseMs: number;
  /** No wait is longer than this. */
  readonly capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1_000, capMs: 20_000 };

/**
 * The wait before retry number `retry` (0 for the first): the ceiling doubles from `baseMs` up to
 * `capMs`, and the wait is drawn from its upper half ("equal jitter"): spread out so that callers
 * throttled together do not retry together, yet never so short that it is throttled again at once.
 */
export const backoffDelayMs = (
  retry: number,
  random: () => number,
  { baseMs, capMs }: BackoffOptions = DEFAULT_BACKOFF,
): number => {
  const ceiling = Math.min(capMs, baseMs * 2 ** retry);
  return ceiling / 2 + (random() * ceiling) / 2;
};

/** The default bound on one request's total backoff (the default retries alone could wait 51 s). */
export const MAX_BACKOFF_MS = 30_000;

export interface PacingOptions {
  /** Requests a second this sender starts, at most. */
  readonly requestsPerSecond: number;
  readonly clock: Clock;
  readonly random?: () => number;
  /** Retries of a throttled request before {@link StillThrottledError}. @default 6 */
  readonly maxRetries?: number;
  readonly backoff?: BackoffOptions;
  /**
   * The backoff one request may spend in all before {@link StillThrottledError}: bounds how long
   * one step can take, so the caller's time margin covers it. @default 30 seconds
   */
  readonly maxBackoffMs?: number;
}

/** Counts of what a sender did, for the log line. */
export interface PacingStats {
  requests: number;
  throttled: number;
}

/** Runs requests one at a time, each started no sooner than its turn, retrying throttling. */
export const createPacedSender = ({
  requestsPerSecond,
  clock,
  random = Math.random,
  maxRetries = 6,
  backoff = DEFAULT_BACKOFF,
  maxBackoffMs = MAX_BACKOFF_MS,
}: PacingOptions) => {
  if (!(requestsPerSecond > 0)) {
    throw new Error(`requestsPerSecond must be a positive number, got ${requestsPerSecond}`);
  }
  const intervalMs = 1_000 / requestsPerSecond;
  let nextTurn = Number.NEGATIVE_INFINITY;
  const stats: PacingStats = { requests: 0, throttled: 0 };

  const waitForTurn = async () => {
    const wait = nextTurn - clock.now();
    if (wait > 0) await clock.sleep(wait);
    nextTurn = clock.now() + intervalMs;
  };

  const send = async <T>(request: () => Promise<T>): Promise<T> => {
    let backedOff = 0;
    for (let retry = 0; ; retry += 1) {
      await waitForTurn();
      stats.requests += 1;
      try {
        return await request();
      } catch (error) {
        if (!isThrottling(error)) throw error;
        stats.throttled += 1;
        const delay = backoffDelayMs(retry, random, backoff);
        if (retry >= maxRetries || backedOff + delay > maxBackoffMs) {
          throw new StillThrottledError(retry, error);
        }
        backedOff += delay;
        await clock.sleep(delay);
      }
    }
  };
  return { send, stats };
};

export type PacedSender = ReturnType<typeof createPacedSender>;

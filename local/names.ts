import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { publishedNumbersOf } from '../lambdas/domain/portfolio/loops.js';
import type { DeployedNames } from '../lambdas/domain/portfolio/routing-entries.js';
import type { Portfolio, PortfolioTrackingNumber } from '../lambdas/domain/portfolio/schema.js';
import { fallbackNumberOf } from '../lambdas/domain/route.js';
import {
  PREVIEW_ACCOUNT,
  PREVIEW_INSTANCE_ARN,
  PREVIEW_INSTANCE_ID,
  PREVIEW_RECORDING_CONTROL_ARN,
  PREVIEW_REGION,
  PREVIEW_ROUTE_CALL_ARN,
} from '../lambdas/flow/preview-names.js';

/**
 * The names the local routing system gives what a deploy would create: a made-up account and
 * instance, the two functions the inbound flow invokes, the portfolio's queues, and a stand-in
 * number for every tracking number the stack would claim at deploy.
 */

// The route preview's names (lambdas/flow/preview-names.ts): a local call runs the flow the
// preview runs, in the same world.
export const LOCAL_REGION = PREVIEW_REGION;
export const LOCAL_ACCOUNT = PREVIEW_ACCOUNT;
/** The same instance the simulator assumes when a call names none. */
export const LOCAL_INSTANCE_ID = PREVIEW_INSTANCE_ID;
export const LOCAL_INSTANCE_ARN = PREVIEW_INSTANCE_ARN;
export const LOCAL_ROUTE_CALL_ARN = PREVIEW_ROUTE_CALL_ARN;
export const LOCAL_RECORDING_CONTROL_ARN = PREVIEW_RECORDING_CONTROL_ARN;
export const LOCAL_ROUTING_TABLE_NAME = 'local-routing';
export const LOCAL_CALL_LOG_TABLE_NAME = 'local-call-log';
/** The bucket simulated contact records name (lambdas/flow/simulator's default). */
export { DEFAULT_RECORDINGS_BUCKET as LOCAL_RECORDINGS_BUCKET } from '../lambdas/flow/simulator/defaults.js';

/** Where the local system keeps its data between runs (git-ignored): `.local/` at the repository root. */
export const LOCAL_DATA_DIRECTORY = new URL('../.local/', import.meta.url);

/** The data directory a `--data <dir>` option names (relative to the working directory), else the default. */
export const localDataDirectory = (dir?: string): URL =>
  dir ? pathToFileURL(`${resolve(dir)}/`) : LOCAL_DATA_DIRECTORY;

/** Dummy credentials and the local region: dynalite checks neither, the SDK needs both. */
export const LOCAL_AWS = {
  region: LOCAL_REGION,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
} as const satisfies DynamoDBClientConfig;

/** The local ARN of a portfolio queue (every queue, including one declared with its own `arn`). */
export const localQueueArn = (queueId: string): string => `${LOCAL_INSTANCE_ARN}/queue/${queueId}`;

/** The portfolio queue id of a local queue ARN, or undefined. */
export const queueIdOfLocalArn = (arn: string): string | undefined =>
  arn.startsWith(`${LOCAL_INSTANCE_ARN}/queue/`)
    ? arn.slice(`${LOCAL_INSTANCE_ARN}/queue/`.length)
    : undefined;

/** A tracking number the stack would claim at deploy, and the number it answers to locally. */
export interface LocalStandIn {
  readonly trackingId: string;
  readonly number: string;
}

/** Every number the portfolio writes down anywhere: none of them may become a stand-in. */
const numbersInPortfolio = (portfolio: Portfolio): Set<string> => {
  const numbers = new Set<string>([portfolio.defaults.staticFallbackNumber]);
  for (const t of portfolio.trackingNumbers) if (t.number) numbers.add(t.number);
  for (const p of publishedNumbersOf(portfolio)) numbers.add(p.number);
  for (const l of portfolio.locations) {
    numbers.add(l.ringTo);
    const fallbackNumber = fallbackNumberOf(l.fallback);
    if (fallbackNumber) numbers.add(fallbackNumber);
    if (l.menu?.payments.type === 'number') numbers.add(l.menu.payments.number);
  }
  return numbers;
};

/** Country calling codes of the countries a claim may leave without a prefix. */
const CALLING_CODES: Readonly<Record<string, string>> = { US: '1', CA: '1' };

/** The national part a NANP stand-in is built on: area code 512, exchange 555, line 01xx. */
const NANP_TEMPLATE = '51255501';
const TOLL_FREE_TEMPLATE = '80055501';
/** The fictional exchange other countries' stand-ins use after their prefix. */
const OTHER_FILL = '55501';

/** The candidate numbers of one claim, in the order they are tried: `xx` from 99 down to 00. */
const candidatesOf = (entry: PortfolioTrackingNumber): string[] => {
  const claim = entry.claim;
  if (!claim) return [];
  const code = CALLING_CODES[claim.country];
  const prefix = claim.prefix ?? (code ? `+${code}` : undefined);
  if (!prefix) {
    throw new Error(
      `trackingNumbers (${entry.id}): a claim in ${claim.country} needs a "prefix" to get a local stand-in number`,
    );
  }
  const endings = Array.from({ length: 100 }, (_, i) => String(99 - i).padStart(2, '0'));
  const digits = prefix.slice(1);
  if (digits.startsWith('1')) {
    // North American numbering: +1 and ten digits. The prefix fixes the first digits; the rest
    // come from 512-555-01xx (800-555-01xx for a toll-free claim).
    const template = claim.type === 'TOLL_FREE' ? TOLL_FREE_TEMPLATE : NANP_TEMPLATE;
    const national = digits.slice(1);
    if (national.length >= 10) return national.length === 10 ? [prefix] : [];
    const fixed = national + template.slice(national.length, 8);
    return national.length <= 8
      ? endings.map((xx) => `+1${fixed}${xx}`)
      : endings
          .filter((xx) => xx.startsWith(national.slice(8)))
          .map((xx) => `+1${national.slice(0, 8)}${xx}`);
  }
  // Elsewhere lengths vary: the prefix, then as much of 55501 as fits in E.164's 15 digits, then xx.
  const fill = OTHER_FILL.slice(0, Math.max(0, 13 - digits.length));
  if (digits.length > 13) return [];
  return endings.map((xx) => `+${digits}${fill}${xx}`);
};

/**
 * The local stand-in of every claimed tracking number, in the order of the file. A stand-in is the
 * claim's prefix completed with the fictional 555-01xx digits (for +1: area code 512 and exchange
 * 555 where the prefix does not give them, then 01xx), trying xx = 99, 98, … 00 and skipping every
 * number the portfolio writes down anywhere (tracking, published, ring-to, fallback, payments,
 * static fallback) and every stand-in given before. Deterministic: the same file gives the same
 * numbers. Throws when a claim has no free number left.
 */
export const localStandIns = (portfolio: Portfolio): LocalStandIn[] => {
  const taken = numbersInPortfolio(portfolio);
  const standIns: LocalStandIn[] = [];
  for (const entry of portfolio.trackingNumbers) {
    if (!entry.claim) continue;
    const number = candidatesOf(entry).find((candidate) => !taken.has(candidate));
    if (!number) {
      throw new Error(
        `trackingNumbers (${entry.id}): no free local stand-in number for the claim with prefix ${entry.claim.prefix ?? '(none)'}`,
      );
    }
    taken.add(number);
    standIns.push({ trackingId: entry.id, number });
  }
  return standIns;
};

/** What routingEntriesOf fills in locally: stand-ins for claimed numbers, local queue ARNs. */
export const localDeployedNames = (
  portfolio: Portfolio,
  standIns: readonly LocalStandIn[] = localStandIns(portfolio),
): DeployedNames => {
  const byId = new Map(standIns.map((s) => [s.trackingId, s.number]));
  return {
    trackingNumberOf: (entry) => {
      const number = entry.number ?? byId.get(entry.id);
      if (!number) throw new Error(`tracking number ${entry.id} has no local stand-in number`);
      return number;
    },
    queueArnOf: localQueueArn,
  };
};

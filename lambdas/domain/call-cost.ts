import type { ContactRecord } from './contact-record.js';

/**
 * What a call cost in Amazon Connect, estimated from its contact record and a price table: the
 * service's voice minutes, the inbound DID minutes and the outbound minutes of an external
 * transfer. An estimate: the invoice is Connect's (free tier, toll-free rates, the region's
 * telephony rates, taxes), and a transfer's unanswered ringing is not billed here.
 *
 * Money is integer micro-units (1 USD = 1,000,000): sums across calls and rollups stay exact.
 */

export const MICROS_PER_UNIT = 1_000_000;

/** One priced item: a per-minute rate billed per second after a minimum. */
export interface PriceLine {
  /** Per minute, micro-units of the table's currency. */
  readonly perMinuteMicros: number;
  /** A leg shorter than this is billed this long (Connect's first-minute or first-10-s rule). */
  readonly minimumSeconds: number;
}

export const COST_LINE_KINDS = ['service', 'inbound-did', 'outbound-transfer'] as const;
export type CostLineKind = (typeof COST_LINE_KINDS)[number];

export interface PriceTable {
  readonly currency: 'USD';
  /** The day the rates were read (`yyyy-mm-dd`): an estimate is only as new as its table. */
  readonly date: string;
  readonly lines: Readonly<Record<CostLineKind, PriceLine>>;
}

/** A rate written as a decimal string (`"0.0022"`), in micro-units, without float rounding. */
export const decimalToMicros = (text: string): number => {
  const match = /^(\d+)(?:\.(\d{1,6}))?$/.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not an amount with at most 6 decimals`);
  const [, whole = '0', fraction = ''] = match;
  return Number(whole) * MICROS_PER_UNIT + Number(fraction.padEnd(6, '0'));
};

/** Micro-units back to the currency's unit, for the API (at most 6 decimals, exact in a double). */
export const microsToAmount = (micros: number): number => micros / MICROS_PER_UNIT;

/**
 * Connect's published US rates (us-east-1 / us-west-2). The service rate and its 10-second
 * minimum are confirmed; the DID and outbound rates and their first-minute minimum are as last
 * published to our knowledge but were not confirmed against the pricing page (README: Cost).
 */
export const DEFAULT_PRICE_TABLE: PriceTable = {
  currency: 'USD',
  date: '2026-12-03',
  lines: {
    service: { perMinuteMicros: decimalToMicros('0.018'), minimumSeconds: 10 },
    'inbound-did': { perMinuteMicros: decimalToMicros('0.0022'), minimumSeconds: 60 },
    'outbound-transfer': { perMinuteMicros: decimalToMicros('0.012'), minimumSeconds: 60 },
  },
};

/** The portfolio's `pricing` block: decimal rates per minute, as the pricing page writes them. */
export interface PricingConfig {
  readonly date: string;
  readonly servicePerMinute: string;
  readonly inboundDidPerMinute: string;
  readonly outboundPerMinute: string;
}

/** The price table of a `pricing` block (Connect's minimums kept); the default without one. */
export const priceTableOf = (pricing: PricingConfig | undefined): PriceTable => {
  if (!pricing) return DEFAULT_PRICE_TABLE;
  const { lines } = DEFAULT_PRICE_TABLE;
  const rate = (kind: CostLineKind, text: string): PriceLine => ({
    ...lines[kind],
    perMinuteMicros: decimalToMicros(text),
  });
  return {
    currency: 'USD',
    date: pricing.date,
    lines: {
      service: rate('service', pricing.servicePerMinute),
      'inbound-did': rate('inbound-did', pricing.inboundDidPerMinute),
      'outbound-transfer': rate('outbound-transfer', pricing.outboundPerMinute),
    },
  };
};

/** Whether a value read back (PRICE_TABLE's JSON) is a price table. */
export const isPriceTable = (value: unknown): value is PriceTable => {
  if (value === null || typeof value !== 'object') return false;
  const table = value as Partial<PriceTable>;
  const amount = (n: unknown) => Number.isInteger(n) && (n as number) >= 0;
  return (
    table.currency === 'USD' &&
    typeof table.date === 'string' &&
    COST_LINE_KINDS.every((kind) => {
      const line = table.lines?.[kind];
      return line !== undefined && amount(line.perMinuteMicros) && amount(line.minimumSeconds);
    })
  );
};

export interface CostLine {
  readonly kind: CostLineKind;
  /** The leg's length from the record, whole seconds. */
  readonly seconds: number;
  /** What is billed: at least the line's minimum. */
  readonly billedSeconds: number;
  readonly perMinuteMicros: number;
  readonly amountMicros: number;
}

/** A call's estimate as stored on its call-log item. */
export interface CallCost {
  readonly currency: 'USD';
  readonly totalMicros: number;
  /** The price table's date. */
  readonly priceDate: string;
  readonly lines: readonly CostLine[];
}

const secondsBetween = (from: string | undefined, to: string | undefined): number | undefined =>
  from === undefined || to === undefined
    ? undefined
    : Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));

const line = (kind: CostLineKind, seconds: number, table: PriceTable): CostLine => {
  const { perMinuteMicros, minimumSeconds } = table.lines[kind];
  const billedSeconds = seconds === 0 ? 0 : Math.max(seconds, minimumSeconds);
  return {
    kind,
    seconds,
    billedSeconds,
    perMinuteMicros,
    amountMicros: Math.round((billedSeconds * perMinuteMicros) / 60),
  };
};

/**
 * The estimate of a call; undefined while it has not ended (no DisconnectTimestamp). The inbound
 * legs run from the system's answer (ConnectedToSystemTimestamp, else InitiationTimestamp) to the
 * disconnect; the outbound leg from TransferCompletedTimestamp to the disconnect.
 */
export const estimateCost = (
  record: ContactRecord,
  table: PriceTable = DEFAULT_PRICE_TABLE,
): CallCost | undefined => {
  const end = record.disconnectTimestamp;
  const inbound = secondsBetween(
    record.connectedToSystemTimestamp ?? record.initiationTimestamp,
    end,
  );
  if (inbound === undefined) return undefined;
  const outbound = secondsBetween(record.transferCompletedTimestamp, end);
  const lines = [
    line('service', inbound, table),
    line('inbound-did', inbound, table),
    ...(outbound === undefined ? [] : [line('outbound-transfer', outbound, table)]),
  ];
  return {
    currency: table.currency,
    totalMicros: lines.reduce((sum, l) => sum + l.amountMicros, 0),
    priceDate: table.date,
    lines,
  };
};

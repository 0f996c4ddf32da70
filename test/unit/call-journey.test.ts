import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseContactRecord } from '../../lambdas/adapters/connect/contact-record.js';
import {
  DEFAULT_PRICE_TABLE,
  decimalToMicros,
  estimateCost,
  type PriceTable,
} from '../../lambdas/domain/call-cost.js';
import { callJourney, type JourneyStep, routedTo } from '../../lambdas/domain/call-journey.js';
import type { CallLogItem } from '../../lambdas/domain/call-log-item.js';
import { toCall } from '../../lambdas/domain/call-view.js';
import type { ContactRecord } from '../../lambdas/domain/contact-record.js';
import { EXAMPLE_ANSWER, queueArn } from '../support/fixtures.js';

const RING_TO = EXAMPLE_ANSWER.ringTo;
const FALLBACK = '+15125550170';
const STATIC = '+15125550199';
const CALL_CENTER = queueArn('call-center');

const record = (overrides: Record<string, unknown> = {}): ContactRecord => {
  const parsed = parseContactRecord({
    ContactId: 'j-1',
    Channel: 'VOICE',
    InitiationMethod: 'INBOUND',
    InitiationTimestamp: '2026-11-25T16:00:00Z',
    ConnectedToSystemTimestamp: '2026-11-25T16:00:01Z',
    DisconnectTimestamp: '2026-11-25T16:02:01Z',
    LastUpdateTimestamp: '2026-11-25T16:02:30Z',
    SystemEndpoint: { Address: EXAMPLE_ANSWER.trackingNumber },
    CustomerEndpoint: { Address: '+15125559876' },
    ...overrides,
  });
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.record;
};

/** The attributes the flow leaves for the example route, open, recording on, as given. */
const flow = (attributes: Record<string, string> = {}) => ({
  Attributes: { ...EXAMPLE_ANSWER, open: 'true', recording: 'on', ...attributes },
});
const transfer = (address: string, at = '2026-11-25T16:00:40Z') => ({
  TransferredToEndpoint: { Address: address, Type: 'TELEPHONE_NUMBER' },
  TransferCompletedTimestamp: at,
});
const queued = (agentAt?: string) => ({
  Queue: {
    ARN: CALL_CENTER,
    Name: 'Call center',
    EnqueueTimestamp: '2026-11-25T16:00:30Z',
    DequeueTimestamp: '2026-11-25T16:01:00Z',
    Duration: 30,
  },
  Agent: agentAt ? { ConnectedToAgentTimestamp: agentAt } : null,
});

const steps = (journey: readonly JourneyStep[]) =>
  journey.map((s) => [s.step, s.result, s.seconds, s.at]);

describe('routedTo and the journey, for each kind', () => {
  it('ring-to: the location answered; disclosure, menu key 1, ring answered at the transfer', () => {
    const r = record({ ...flow({ menuKey: '1' }), ...transfer(RING_TO) });
    expect(routedTo(r)).toEqual({ kind: 'ring-to', number: RING_TO, queue: null });
    expect(steps(callJourney(r))).toEqual([
      ['started', null, null, '2026-11-25T16:00:00.000Z'],
      ['route', 'found', null, null],
      ['disclosure', 'played', null, null],
      ['menu', '1', null, null],
      ['ring-to', 'answered', null, '2026-11-25T16:00:40.000Z'],
      ['ended', null, 121, '2026-11-25T16:02:01.000Z'],
    ]);
  });

  it('fallback-number: the ring-to rang its 25 s without answer, the fallback number took it', () => {
    const r = record({
      ...flow({
        ringToResult: 'no-answer',
        fallbackType: 'number',
        fallbackNumber: FALLBACK,
        fallbackQueueArn: 'none',
      }),
      ...transfer(FALLBACK, '2026-11-25T16:00:58Z'),
    });
    expect(routedTo(r)).toEqual({ kind: 'fallback-number', number: FALLBACK, queue: null });
    const journey = callJourney(r);
    expect(journey.find((s) => s.step === 'ring-to')).toEqual({
      step: 'ring-to',
      at: null,
      seconds: 25,
      number: RING_TO,
      queue: null,
      result: 'no-answer',
    });
    expect(journey.find((s) => s.step === 'fallback')).toMatchObject({
      number: FALLBACK,
      result: 'answered',
      at: '2026-11-25T16:00:58.000Z',
    });
    // Shown once, as the fallback: no separate transfer step.
    expect(journey.some((s) => s.step === 'transfer')).toBe(false);
  });

  it('a ring-to that failed to connect: no length claimed', () => {
    const r = record(flow({ ringToResult: 'failed' }));
    expect(callJourney(r).find((s) => s.step === 'ring-to')).toMatchObject({
      result: 'failed',
      seconds: null,
    });
  });

  it('queue: the fallback queue, waited 30 s, an agent answered', () => {
    const r = record({
      ...flow({ ringToResult: 'no-answer', staffing: 'staffed' }),
      ...queued('2026-11-25T16:01:00Z'),
    });
    expect(routedTo(r)).toEqual({
      kind: 'queue',
      number: null,
      queue: { arn: CALL_CENTER, name: 'Call center' },
    });
    expect(steps(callJourney(r)).slice(3)).toEqual([
      ['menu', null, null, null],
      ['ring-to', 'no-answer', 25, null],
      ['fallback', 'queue', null, null],
      ['queued', 'answered', 30, '2026-11-25T16:00:30.000Z'],
      ['agent', null, null, '2026-11-25T16:01:00.000Z'],
      ['ended', null, 121, '2026-11-25T16:02:01.000Z'],
    ]);
  });

  it('voicemail: closed, the system took a message; its start and length from the attributes', () => {
    const r = record(
      flow({
        open: 'false',
        fallbackType: 'voicemail',
        voicemail: 'left',
        voicemailStartTimestamp: String(Date.parse('2026-11-25T16:00:20Z')),
        voicemailDurationSeconds: '17.4',
      }),
    );
    expect(routedTo(r)).toEqual({ kind: 'voicemail', number: null, queue: null });
    const journey = callJourney(r);
    // Closed: no menu, no ring, straight to the fallback.
    expect(journey.map((s) => s.step)).toEqual([
      'started',
      'route',
      'disclosure',
      'fallback',
      'voicemail',
      'ended',
    ]);
    expect(journey[4]).toMatchObject({
      at: '2026-11-25T16:00:20.000Z',
      seconds: 17,
      result: 'left',
    });
  });

  it('voicemail: an outside voicemail box is routed there with its number', () => {
    const box = '+15125550180';
    const r = record({
      ...flow({ open: 'false', fallbackType: 'voicemail', fallbackNumber: box }),
      ...transfer(box),
    });
    expect(routedTo(r)).toEqual({ kind: 'voicemail', number: box, queue: null });
  });

  it('static-fallback: an unknown number went to the flow’s static fallback', () => {
    const r = record({
      Attributes: { status: 'unknown', trackingNumber: '+15125550998', ringTo: 'none' },
      ...transfer(STATIC),
    });
    expect(routedTo(r)).toEqual({ kind: 'static-fallback', number: STATIC, queue: null });
    expect(steps(callJourney(r)).map(([step, result]) => [step, result])).toEqual([
      ['started', null],
      ['route', 'unknown'],
      ['static-fallback', 'unknown'],
      ['transfer', 'connected'],
      ['ended', null],
    ]);
  });

  it('none: the caller hung up during the disclosure', () => {
    const r = record({ ...flow(), DisconnectReason: 'CUSTOMER_DISCONNECT' });
    expect(routedTo(r)).toEqual({ kind: 'none', number: null, queue: null });
    expect(callJourney(r).at(-1)).toMatchObject({ step: 'ended', result: 'CUSTOMER_DISCONNECT' });
  });

  it('the issue’s record: queued, answered by an agent, transferred out: queue and number', () => {
    const lines = readFileSync(
      new URL('../fixtures/contact-records-2022-transfer.jsonl', import.meta.url),
      'utf8',
    )
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const newest = lines.reduce((a, b) => (a.LastUpdateTimestamp >= b.LastUpdateTimestamp ? a : b));
    const r = record(newest);
    expect(routedTo(r)).toEqual({
      kind: 'queue',
      number: '+18002430000',
      queue: { arn: newest.Queue.ARN, name: 'BasicQueue' },
    });
    expect(steps(callJourney(r))).toEqual([
      ['started', null, null, '2022-03-14T17:02:10.000Z'],
      ['queued', 'answered', 37, '2022-03-14T17:02:25.000Z'],
      ['agent', null, null, '2022-03-14T17:03:02.000Z'],
      ['transfer', 'connected', null, '2022-03-14T17:03:43.000Z'],
      ['ended', 'THIRD_PARTY_DISCONNECT', 277, '2022-03-14T17:06:47.000Z'],
    ]);
  });
});

describe('estimateCost', () => {
  it('prices service and inbound DID over the connected time, outbound from the transfer', () => {
    // 120 s connected, 81 s of it transferred.
    const cost = estimateCost(record(transfer(RING_TO)));
    expect(cost).toEqual({
      currency: 'USD',
      priceDate: DEFAULT_PRICE_TABLE.date,
      totalMicros: 36_000 + 4_400 + 16_200,
      lines: [
        {
          kind: 'service',
          seconds: 120,
          billedSeconds: 120,
          perMinuteMicros: 18_000,
          amountMicros: 36_000,
        },
        {
          kind: 'inbound-did',
          seconds: 120,
          billedSeconds: 120,
          perMinuteMicros: 2_200,
          amountMicros: 4_400,
        },
        {
          kind: 'outbound-transfer',
          seconds: 81,
          billedSeconds: 81,
          perMinuteMicros: 12_000,
          amountMicros: 16_200,
        },
      ],
    });
  });

  it('bills each line its minimum: 10 s of service, a first minute of telephony', () => {
    const cost = estimateCost(
      record({
        DisconnectTimestamp: '2026-11-25T16:00:05Z',
        ...transfer(RING_TO, '2026-11-25T16:00:03Z'),
      }),
    );
    expect(cost?.lines.map((l) => [l.kind, l.seconds, l.billedSeconds, l.amountMicros])).toEqual([
      ['service', 4, 10, 3_000],
      ['inbound-did', 4, 60, 2_200],
      ['outbound-transfer', 2, 60, 12_000],
    ]);
  });

  it('has no estimate before the call ended, and uses the table it is given', () => {
    expect(estimateCost(record({ DisconnectTimestamp: null }))).toBeUndefined();
    const table: PriceTable = {
      currency: 'USD',
      date: '2027-01-01',
      lines: {
        service: { perMinuteMicros: decimalToMicros('0.038'), minimumSeconds: 0 },
        'inbound-did': { perMinuteMicros: 0, minimumSeconds: 0 },
        'outbound-transfer': { perMinuteMicros: 0, minimumSeconds: 0 },
      },
    };
    expect(estimateCost(record(), table)).toMatchObject({
      totalMicros: 76_000,
      priceDate: '2027-01-01',
    });
  });

  it('reads decimal rates exactly, and refuses what is not one', () => {
    expect(decimalToMicros('0.0022')).toBe(2_200);
    expect(decimalToMicros('1.5')).toBe(1_500_000);
    expect(decimalToMicros('0.000001')).toBe(1);
    expect(() => decimalToMicros('0.0000001')).toThrow(/at most 6 decimals/);
    expect(() => decimalToMicros('-1')).toThrow();
  });
});

describe('the call view of a call logged before journeys and costs', () => {
  it('serves it with routedTo and estimatedCost null', () => {
    const legacy: CallLogItem = {
      contactId: 'old',
      startedAt: '2026-01-01T00:00:00.000Z',
      outcome: 'missed',
      answered: false,
      firstTime: false,
      recordings: [],
      lastUpdate: '2026-01-01T00:01:00.000Z',
    };
    expect(toCall(legacy)).toMatchObject({ routedTo: null, estimatedCost: null });
  });

  it('shows the cost in dollars next to its exact micro-units', () => {
    const item = {
      contactId: 'new',
      startedAt: '2026-01-01T00:00:00.000Z',
      outcome: 'missed' as const,
      answered: false,
      firstTime: false,
      recordings: [],
      lastUpdate: '2026-01-01T00:01:00.000Z',
      estimatedCost: estimateCost(record(transfer(RING_TO))),
    };
    expect(toCall(item).estimatedCost).toMatchObject({
      currency: 'USD',
      total: 0.0566,
      totalMicros: 56_600,
      lines: [
        { kind: 'service', perMinute: 0.018, amount: 0.036 },
        { kind: 'inbound-did', perMinute: 0.0022, amount: 0.0044 },
        { kind: 'outbound-transfer', perMinute: 0.012, amount: 0.0162 },
      ],
    });
  });
});

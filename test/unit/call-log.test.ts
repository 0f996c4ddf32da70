import { describe, expect, it } from 'vitest';
import { parseContactRecord } from '../../lambdas/adapters/connect/contact-record.js';
import {
  STORED_RECORD_FIELDS,
  storedCallLogItem,
} from '../../lambdas/adapters/dynamodb/call-log-keys.js';
import { rollupKeys } from '../../lambdas/adapters/dynamodb/rollup-keys.js';
import { DEFAULT_PRICE_TABLE } from '../../lambdas/domain/call-cost.js';
import {
  callLogItem,
  dayOf,
  RECORD_FIELDS,
  ROLLUP_ABSENT,
} from '../../lambdas/domain/call-log-item.js';
import { type CallOutcome, classifyCall } from '../../lambdas/domain/call-outcome.js';
import type { ContactRecord } from '../../lambdas/domain/contact-record.js';
import { EXAMPLE_ANSWER, TEST_CALLER_HASH_KEY } from '../support/fixtures.js';

const CONTACT_ID = '6a1c2b3d-0000-4000-8000-000000000001';
const RING_TO = EXAMPLE_ANSWER.ringTo;
const FALLBACK = '+15125550119';
const STATIC_FALLBACK = '+15125550199';
const QUEUE_ARN = 'arn:aws:connect:us-east-1:111122223333:instance/abc/queue/q1';

/** The attributes the flow sets from route-call's answer for the example entry. */
const attributes = (overrides: Record<string, string> = {}): Record<string, string> => ({
  ...EXAMPLE_ANSWER,
  open: 'true',
  recording: 'on',
  ...overrides,
});

/** A CTR shaped like a real one: nulls where Connect writes them, fields we do not read. */
const ctr = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  AWSContactTraceRecordFormatVersion: '2017-03-10',
  AWSAccountId: '111122223333',
  InstanceARN: 'arn:aws:connect:us-east-1:111122223333:instance/abc',
  ContactId: CONTACT_ID,
  InitialContactId: null,
  PreviousContactId: null,
  NextContactId: null,
  Channel: 'VOICE',
  InitiationMethod: 'INBOUND',
  InitiationTimestamp: '2026-11-30T23:59:50Z',
  ConnectedToSystemTimestamp: '2026-11-30T23:59:51Z',
  DisconnectTimestamp: '2026-12-01T00:02:05Z',
  LastUpdateTimestamp: '2026-12-01T00:02:36Z',
  SystemEndpoint: { Address: '+15125550151', Type: 'TELEPHONE_NUMBER' },
  CustomerEndpoint: { Address: '+15125559876', Type: 'TELEPHONE_NUMBER' },
  Attributes: attributes(),
  TransferredToEndpoint: null,
  TransferCompletedTimestamp: null,
  Queue: null,
  Agent: null,
  AgentConnectionAttempts: 0,
  Recording: null,
  Recordings: null,
  DisconnectReason: 'THIRD_PARTY_DISCONNECT',
  MediaStreams: [{ Type: 'AUDIO' }],
  ContactDetails: {},
  Tags: { 'aws:connect:instanceId': 'abc' },
  ...overrides,
});

const parsed = (raw: unknown): ContactRecord => {
  const result = parseContactRecord(raw);
  if (!result.ok) throw new Error(`expected a record, got ${result.problems.join('; ')}`);
  return result.record;
};

const problemsOf = (raw: unknown): readonly string[] => {
  const result = parseContactRecord(raw);
  if (result.ok) throw new Error('expected problems, got a record');
  return result.problems;
};

const transferred = (address: string) => ({
  TransferredToEndpoint: { Address: address, Type: 'TELEPHONE_NUMBER' },
  TransferCompletedTimestamp: '2026-11-30T23:59:58Z',
});

/** The attributes the voicemail work sets once a message is stored. */
const VOICEMAIL_LEFT = {
  voicemail: 'left',
  voicemailKey: 'connect/voicemail/2026/12/01/c1.wav',
  voicemailDurationSeconds: '17.4',
};

const queued = (agent: unknown = null) => ({
  Queue: {
    ARN: QUEUE_ARN,
    Name: 'q1',
    EnqueueTimestamp: '2026-12-01T00:00:20Z',
    DequeueTimestamp: '2026-12-01T00:02:05Z',
    Duration: 105,
  },
  Agent: agent,
});

describe('parseContactRecord', () => {
  it('reads a real-looking record: extra fields and nulls are fine, timestamps normalised', () => {
    const record = parsed(ctr());
    expect(record).toMatchObject({
      contactId: CONTACT_ID,
      channel: 'VOICE',
      initiationMethod: 'INBOUND',
      initiationTimestamp: '2026-11-30T23:59:50.000Z',
      connectedToSystemTimestamp: '2026-11-30T23:59:51.000Z',
      disconnectTimestamp: '2026-12-01T00:02:05.000Z',
      lastUpdateTimestamp: '2026-12-01T00:02:36.000Z',
      systemAddress: '+15125550151',
      customerAddress: '+15125559876',
      disconnectReason: 'THIRD_PARTY_DISCONNECT',
      recordings: [],
    });
    expect(record.initialContactId).toBeUndefined();
    expect(record.transferredToAddress).toBeUndefined();
    expect(record.transferCompletedTimestamp).toBeUndefined();
    expect(record.queue).toBeUndefined();
    expect(record.agent).toBeUndefined();
    expect(record.attributes.locationId).toBe('austin-north');
  });

  it('reads several recordings, and Recording only when Recordings lacks it', () => {
    const record = parsed(
      ctr({
        Recording: { Location: 'bucket/connect/a/CallRecordings/x.wav', Status: 'AVAILABLE' },
        Recordings: [
          {
            Location: 'bucket/connect/a/CallRecordings/x.wav',
            MediaStreamType: 'AUDIO',
            ParticipantType: 'IVR',
            StorageType: 'S3',
            Status: 'AVAILABLE',
          },
          {
            Location: 'bucket/connect/a/CallRecordings/x_agent.wav',
            MediaStreamType: 'AUDIO',
            ParticipantType: 'AGENT',
            StorageType: 'S3',
            Status: 'AVAILABLE',
            FragmentStartNumber: '9',
          },
          { Location: null, Status: 'DELETED' },
        ],
      }),
    );
    expect(record.recordings).toEqual([
      {
        location: 'bucket/connect/a/CallRecordings/x.wav',
        mediaStreamType: 'AUDIO',
        participantType: 'IVR',
        status: 'AVAILABLE',
      },
      {
        location: 'bucket/connect/a/CallRecordings/x_agent.wav',
        mediaStreamType: 'AUDIO',
        participantType: 'AGENT',
        status: 'AVAILABLE',
      },
    ]);
    const onlyOld = parsed(ctr({ Recording: { Location: 'b/k.wav' }, Recordings: [] }));
    expect(onlyOld.recordings).toEqual([{ location: 'b/k.wav' }]);
  });

  it('missing or null attributes are {}; non-string values are dropped', () => {
    const { Attributes: _dropped, ...without } = ctr();
    expect(parsed(without).attributes).toEqual({});
    expect(parsed(ctr({ Attributes: null })).attributes).toEqual({});
    expect(parsed(ctr({ Attributes: { a: 'x', b: 3, c: null } })).attributes).toEqual({ a: 'x' });
  });

  it('reads the queue and the agent', () => {
    const record = parsed(
      ctr(queued({ ConnectedToAgentTimestamp: '2026-12-01T00:00:40Z', Username: 'pat' })),
    );
    expect(record.queue).toEqual({
      arn: QUEUE_ARN,
      name: 'q1',
      enqueueTimestamp: '2026-12-01T00:00:20.000Z',
      dequeueTimestamp: '2026-12-01T00:02:05.000Z',
      durationSeconds: 105,
    });
    expect(record.agent).toEqual({ connectedToAgentTimestamp: '2026-12-01T00:00:40.000Z' });
  });

  it('accepts milliseconds and offsets, normalising to UTC', () => {
    const record = parsed(ctr({ InitiationTimestamp: '2026-11-30T17:59:50.250-06:00' }));
    expect(record.initiationTimestamp).toBe('2026-11-30T23:59:50.250Z');
  });

  it.each<[string, unknown, RegExp]>([
    ['ContactId', undefined, /^ContactId .*non-empty string.*\(found nothing\)$/],
    ['ContactId', null, /^ContactId .*\(found null\)$/],
    ['ContactId', '  ', /^ContactId .*non-empty string/],
    ['ContactId', 42, /^ContactId .*\(found the number 42\)$/],
    ['InitiationTimestamp', undefined, /^InitiationTimestamp must be an ISO 8601 .*found nothing/],
    ['InitiationTimestamp', 'yesterday', /^InitiationTimestamp .*found the string "yesterday"/],
    ['InitiationTimestamp', '2026-13-45T99:00:00Z', /^InitiationTimestamp must be an ISO 8601/],
    ['LastUpdateTimestamp', null, /^LastUpdateTimestamp must be an ISO 8601 .*found null/],
    ['LastUpdateTimestamp', 1764547356000, /^LastUpdateTimestamp .*found the number/],
    ['LastUpdateTimestamp', '2026-12-01', /^LastUpdateTimestamp must be an ISO 8601/],
  ])('refuses %s = %j, naming it and what was found', (field, value, problem) => {
    const problems = problemsOf(ctr({ [field]: value }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(problem);
  });

  it('names every problem at once, with nested paths', () => {
    const problems = problemsOf(
      ctr({
        ContactId: '',
        LastUpdateTimestamp: undefined,
        Queue: { ARN: QUEUE_ARN, EnqueueTimestamp: 'soon' },
      }),
    );
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/^Queue\.EnqueueTimestamp must be an ISO 8601/m);
  });

  it.each([null, 'text', 7, [ctr()]])('refuses %j: not a record', (raw) => {
    expect(problemsOf(raw)[0]).toMatch(/^the record must be a JSON object/);
  });
});

describe('classifyCall', () => {
  const cases: [string, Record<string, unknown>, CallOutcome][] = [
    ['a completed transfer to the ring-to', transferred(RING_TO), 'answered-location'],
    [
      'a completed transfer to the outside voicemail number (a message is not known)',
      {
        ...transferred(FALLBACK),
        Attributes: attributes({ fallbackType: 'voicemail', fallbackNumber: FALLBACK }),
      },
      'voicemail-box',
    ],
    [
      'a message the system recorded',
      { DisconnectReason: 'CUSTOMER_DISCONNECT', Attributes: attributes(VOICEMAIL_LEFT) },
      'voicemail',
    ],
    [
      'a message left after waiting in the queue',
      { ...queued(), Attributes: attributes(VOICEMAIL_LEFT) },
      'voicemail',
    ],
    [
      'the system voicemail reached, but the message was never packaged (no stream read)',
      {
        DisconnectReason: 'CUSTOMER_DISCONNECT',
        Attributes: attributes({ voicemail: 'recording' }),
      },
      'missed',
    ],
    [
      'the system voicemail reached, and the caller said nothing',
      { DisconnectReason: 'CUSTOMER_DISCONNECT', Attributes: attributes({ voicemail: 'empty' }) },
      'missed',
    ],
    [
      'a message started, then an agent came free and took the call',
      {
        ...queued({ ConnectedToAgentTimestamp: '2026-12-01T00:01:00Z' }),
        Attributes: attributes({ voicemail: 'recording' }),
      },
      'answered-agent',
    ],
    [
      'a callback requested from the queue',
      { ...queued(), Attributes: attributes({ callback: 'requested' }) },
      'callback',
    ],
    [
      "Connect's callback contact, no agent yet",
      { ...queued(), InitiationMethod: 'CALLBACK' },
      'callback',
    ],
    [
      "Connect's callback contact an agent made",
      {
        ...queued({ ConnectedToAgentTimestamp: '2026-12-01T00:00:40Z' }),
        InitiationMethod: 'CALLBACK',
      },
      'answered-agent',
    ],
    [
      'a callback attribute with another value is no callback',
      { ...queued(), Attributes: attributes({ callback: 'none' }) },
      'missed',
    ],
    [
      'a completed transfer to the number fallback',
      {
        ...transferred(FALLBACK),
        Attributes: attributes({ fallbackType: 'number', fallbackNumber: FALLBACK }),
      },
      'answered-fallback',
    ],
    [
      'a completed transfer to the static fallback',
      transferred(STATIC_FALLBACK),
      'answered-fallback',
    ],
    [
      'the static fallback for an unknown number (attributes say none)',
      {
        ...transferred(STATIC_FALLBACK),
        Attributes: { status: 'unknown', ringTo: 'none', fallbackNumber: 'none' },
      },
      'answered-fallback',
    ],
    [
      'an agent who took the call from the queue and transferred it out',
      {
        ...queued({ ConnectedToAgentTimestamp: '2026-12-01T00:00:40Z' }),
        ...transferred(STATIC_FALLBACK),
      },
      'answered-agent',
    ],
    [
      'a completed transfer without TransferredToEndpoint',
      { TransferCompletedTimestamp: '2026-11-30T23:59:58Z' },
      'answered-fallback',
    ],
    [
      'a queue where an agent connected',
      queued({ ConnectedToAgentTimestamp: '2026-12-01T00:00:40Z' }),
      'answered-agent',
    ],
    ['a queue without an agent', queued(), 'missed'],
    ['a queue the caller left', { ...queued(), DisconnectReason: 'CUSTOMER_DISCONNECT' }, 'missed'],
    [
      'a transfer to the ring-to that did not complete',
      { TransferredToEndpoint: { Address: RING_TO }, DisconnectReason: 'CUSTOMER_DISCONNECT' },
      'missed',
    ],
    ['the caller hanging up in the flow', { DisconnectReason: 'CUSTOMER_DISCONNECT' }, 'abandoned'],
    ['the flow disconnecting (apology)', { DisconnectReason: 'CONTACT_FLOW_DISCONNECT' }, 'missed'],
    ['no disconnect reason at all', { DisconnectReason: null }, 'missed'],
  ];

  it.each(cases)('%s', (_name, overrides, outcome) => {
    expect(classifyCall(parsed(ctr(overrides)))).toBe(outcome);
  });

  it('a fallback equal to the ring-to never makes a ring-to answer voicemail', () => {
    const record = parsed(
      ctr({
        ...transferred(RING_TO),
        Attributes: attributes({ fallbackType: 'voicemail', fallbackNumber: FALLBACK }),
      }),
    );
    expect(classifyCall(record)).toBe('answered-location');
  });
});

describe('callLogItem', () => {
  it('builds the call item with every index key', () => {
    const record = parsed(
      ctr({
        ...transferred(RING_TO),
        Recordings: [{ Location: 'b/one.wav' }, { Location: 'b/two.wav' }],
      }),
    );
    const item = storedCallLogItem(callLogItem(record, classifyCall(record), { firstTime: true }));
    expect(item).toEqual({
      pk: `CALL#${CONTACT_ID}`,
      sk: 'CALL',
      monthKey: '2026-11',
      startedKey: `2026-11-30T23:59:50.000Z#${CONTACT_ID}`,
      locationKey: 'LOC#austin-north',
      trackingNumberKey: 'TN#+15125550151',
      sourceKey: 'SRC#Google Ads',
      callerNumberKey: 'CLR#+15125559876',
      contactId: CONTACT_ID,
      startedAt: '2026-11-30T23:59:50.000Z',
      endedAt: '2026-12-01T00:02:05.000Z',
      durationSeconds: 135,
      caller: '+15125559876',
      dialed: '+15125550151',
      locationId: 'austin-north',
      locationName: 'Austin North Self Storage',
      source: 'Google Ads',
      campaign: 'brand',
      trackingId: 'austin-north-google',
      outcome: 'answered-location',
      answered: true,
      firstTime: true,
      endpoint: RING_TO,
      recordings: ['b/one.wav', 'b/two.wav'],
      lastUpdate: '2026-12-01T00:02:36.000Z',
      routeStatus: 'found',
      routedTo: { kind: 'ring-to', number: RING_TO, queue: null },
      journey: expect.arrayContaining([
        expect.objectContaining({ step: 'ring-to', number: RING_TO, result: 'answered' }),
      ]),
      // 134 s connected, 127 s of it transferred: 134 × 0.018 / 60 + 134 × 0.0022 / 60 (4,913.3
      // micro-USD, rounded) + 127 × 0.012 / 60.
      estimatedCost: {
        currency: 'USD',
        totalMicros: 40_200 + 4_913 + 25_400,
        priceDate: DEFAULT_PRICE_TABLE.date,
        lines: [
          {
            kind: 'service',
            seconds: 134,
            billedSeconds: 134,
            perMinuteMicros: 18_000,
            amountMicros: 40_200,
          },
          {
            kind: 'inbound-did',
            seconds: 134,
            billedSeconds: 134,
            perMinuteMicros: 2_200,
            amountMicros: 4_913,
          },
          {
            kind: 'outbound-transfer',
            seconds: 127,
            billedSeconds: 127,
            perMinuteMicros: 12_000,
            amountMicros: 25_400,
          },
        ],
      },
    });
  });

  it('an unknown number: no location or source keys, never `none`', () => {
    const record = parsed(
      ctr({
        ...transferred(STATIC_FALLBACK),
        Attributes: {
          status: 'unknown',
          trackingNumber: '+15125550998',
          locationId: 'none',
          locationName: 'none',
          source: 'none',
          campaign: 'none',
          trackingId: 'none',
        },
      }),
    );
    const item = storedCallLogItem(callLogItem(record, classifyCall(record), { firstTime: false }));
    expect(item).not.toHaveProperty('locationKey');
    expect(item).not.toHaveProperty('sourceKey');
    expect(item).not.toHaveProperty('locationId');
    expect(item).not.toHaveProperty('campaign');
    expect(Object.values(item)).not.toContain('none');
    expect(item.trackingNumberKey).toBe('TN#+15125550151');
    expect(item.routeStatus).toBe('unknown');
    expect(item.outcome).toBe('answered-fallback');
    expect(item.answered).toBe(true);
  });

  it('no SystemEndpoint: the tracking number route-call saw; no disconnect: no duration', () => {
    const record = parsed(ctr({ SystemEndpoint: null, DisconnectTimestamp: null }));
    const item = callLogItem(record, 'missed', { firstTime: false });
    expect(item.dialed).toBe('+15125550151');
    expect(item).not.toHaveProperty('durationSeconds');
    expect(item).not.toHaveProperty('endedAt');
    expect(item).not.toHaveProperty('endpoint');
  });

  it('no attributes at all: no location, source or route status; queue ARN as endpoint', () => {
    const record = parsed(ctr({ Attributes: null, SystemEndpoint: null, ...queued() }));
    const item = storedCallLogItem(callLogItem(record, classifyCall(record), { firstTime: false }));
    expect(item).not.toHaveProperty('trackingNumberKey');
    expect(item).not.toHaveProperty('routeStatus');
    expect(item.endpoint).toBe(QUEUE_ARN);
    expect(item.outcome).toBe('missed');
    expect(item.answered).toBe(false);
  });

  it('voicemail is not answered', () => {
    const record = parsed(ctr());
    expect(callLogItem(record, 'voicemail', { firstTime: false }).answered).toBe(false);
  });

  it("keeps a message's key and its length in whole seconds", () => {
    const record = parsed(ctr({ Attributes: attributes(VOICEMAIL_LEFT) }));
    const item = callLogItem(record, classifyCall(record), { firstTime: true });
    expect(item).toMatchObject({
      outcome: 'voicemail',
      answered: false,
      voicemailKey: 'connect/voicemail/2026/12/01/c1.wav',
      voicemailDurationSeconds: 17,
    });
  });

  it.each(['', 'none', 'long', '-3'])('a message length of %j is no length', (duration) => {
    const record = parsed(
      ctr({ Attributes: attributes({ ...VOICEMAIL_LEFT, voicemailDurationSeconds: duration }) }),
    );
    expect(callLogItem(record, 'voicemail', { firstTime: true })).not.toHaveProperty(
      'voicemailDurationSeconds',
    );
  });
});

describe('RECORD_FIELDS', () => {
  it('are every attribute callLogItem builds, and none of the lead fields', () => {
    const record = parsed(ctr({ ...transferred(RING_TO), Attributes: attributes(VOICEMAIL_LEFT) }));
    const item = callLogItem(record, classifyCall(record), {
      firstTime: true,
      callerHashKey: TEST_CALLER_HASH_KEY,
    });
    // The example record has every optional field, so this is the whole list.
    expect([...RECORD_FIELDS].sort()).toEqual(Object.keys(item).sort());
    // Stored, the ingest writes the index keys too: every attribute but the key.
    const { pk: _pk, sk: _sk, ...fields } = storedCallLogItem(item);
    expect([...STORED_RECORD_FIELDS].sort()).toEqual(Object.keys(fields).sort());
    for (const lead of ['leadStatus', 'value', 'note', 'tags', 'spam', 'handled', 'revision']) {
      expect(RECORD_FIELDS).not.toContain(lead);
    }
  });
});

describe('dayOf and rollupKeys', () => {
  it('UTC days', () => {
    expect(dayOf('2026-11-30T23:59:50.000Z')).toBe('2026-11-30');
    expect(dayOf('2026-11-30T18:30:00-06:00')).toBe('2026-12-01');
  });

  it('rolls a call up by its UTC day, location, source and tracking number', () => {
    const record = parsed(ctr(transferred(RING_TO)));
    const item = callLogItem(record, 'answered-location', { firstTime: true });
    expect(rollupKeys(item)).toEqual({
      pk: 'ROLLUP#2026-11-30',
      sk: 'austin-north#Google Ads#+15125550151',
    });
  });

  it('marks missing parts', () => {
    expect(rollupKeys({ startedAt: '2026-12-01T00:00:00.000Z' })).toEqual({
      pk: 'ROLLUP#2026-12-01',
      sk: [ROLLUP_ABSENT, ROLLUP_ABSENT, ROLLUP_ABSENT].join('#'),
    });
  });
});

import { describe, expect, it } from 'vitest';
import {
  batchResponse,
  type ContactRecordBatch,
  decodeContactRecord,
  streamRecords,
} from '../../lambdas/adapters/kinesis/contact-record-stream.js';
import { kinesisRecord } from '../support/fixtures.js';

const base64 = (text: string): string => Buffer.from(text).toString('base64');

const CTR = {
  ContactId: 'c-1',
  InitiationTimestamp: '2026-11-23T16:00:00Z',
  LastUpdateTimestamp: '2026-11-23T16:03:05Z',
  CustomerEndpoint: { Address: '+15125559876', Type: 'TELEPHONE_NUMBER' },
  Attributes: { locationId: 'austin-north' },
};

describe('decodeContactRecord', () => {
  it('decodes base64 JSON into the typed record', () => {
    const decoded = decodeContactRecord(base64(JSON.stringify(CTR)));
    expect(decoded).toMatchObject({
      ok: true,
      record: {
        contactId: 'c-1',
        initiationTimestamp: '2026-11-23T16:00:00.000Z',
        lastUpdateTimestamp: '2026-11-23T16:03:05.000Z',
        customerAddress: '+15125559876',
        attributes: { locationId: 'austin-north' },
      },
    });
  });

  it('refuses data that is not base64', () => {
    expect(decodeContactRecord('not base64!')).toEqual({
      ok: false,
      reason: 'the data is not valid base64',
    });
  });

  it('refuses bytes that are not UTF-8', () => {
    const data = Buffer.from([0xff, 0xfe, 0xfd]).toString('base64');
    expect(decodeContactRecord(data)).toEqual({ ok: false, reason: 'the data is not UTF-8 text' });
  });

  it('refuses text that is not JSON, with the parser error', () => {
    const decoded = decodeContactRecord(base64('nope'));
    expect(decoded.ok).toBe(false);
    if (decoded.ok) return;
    expect(decoded.reason).toMatch(/^the data is not JSON \(SyntaxError: /);
  });

  it('refuses JSON the contact-record parser refuses, naming the field', () => {
    const decoded = decodeContactRecord(
      base64(JSON.stringify({ ...CTR, LastUpdateTimestamp: 'x' })),
    );
    expect(decoded).toEqual({
      ok: false,
      reason:
        'not a usable contact record: LastUpdateTimestamp must be an ISO 8601 timestamp (found the string "x")',
    });
  });

  it('cuts a long reason to 1,000 characters', () => {
    const fields = Object.fromEntries(
      ['ContactId', 'InitiationTimestamp', 'LastUpdateTimestamp'].map((k) => [k, 1]),
    );
    // Three refused timestamps and sixty refused recordings: far more than 1,000 characters.
    const refused = decodeContactRecord(
      base64(JSON.stringify({ ...fields, Recordings: Array.from({ length: 60 }, () => 5) })),
    );
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.reason.length).toBe(1_000);
  });
});

describe('streamRecords', () => {
  it('lists the batch records in order', () => {
    const event = { Records: [kinesisRecord('1', 'YQ=='), kinesisRecord('2', 'Yg==')] };
    expect(streamRecords(event).map(({ sequenceNumber, data }) => [sequenceNumber, data])).toEqual([
      ['1', 'YQ=='],
      ['2', 'Yg=='],
    ]);
  });

  it('reads a batch without Records as empty', () => {
    // Lambda's type says Records is always there; the ingest does not count on it.
    expect(streamRecords({} as ContactRecordBatch)).toEqual([]);
  });
});

describe('batchResponse', () => {
  it('names the failed records by sequence number', () => {
    expect(batchResponse(['7', '9'])).toEqual({
      batchItemFailures: [{ itemIdentifier: '7' }, { itemIdentifier: '9' }],
    });
  });

  it('is an empty failure list when every record is done', () => {
    expect(batchResponse([])).toEqual({ batchItemFailures: [] });
  });
});

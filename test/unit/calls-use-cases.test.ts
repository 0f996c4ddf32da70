import { describe, expect, it } from 'vitest';
import type {
  CallLogReader,
  CallsPageRequest,
} from '../../lambdas/adapters/dynamodb/call-log-reader.js';
import { fullStep } from '../../lambdas/domain/call-journey.js';
import type { LeadUpdate } from '../../lambdas/domain/call-log-item.js';
import { toCall } from '../../lambdas/domain/call-view.js';
import { ForeignPositionError, NotFoundError } from '../../lambdas/domain/request-errors.js';
import { createCallDetails } from '../../lambdas/use-cases/call-details.js';
import { createCallReports } from '../../lambdas/use-cases/call-reports.js';
import { createListCalls, DEFAULT_MAX_ITEMS_READ } from '../../lambdas/use-cases/list-calls.js';
import { seedCallItem } from '../../local/seed-call-log.js';

const CALL = seedCallItem({
  contactId: 'c1',
  startedAt: '2026-11-25T15:00:00.000Z',
  outcome: 'missed',
  firstTime: false,
});
const VOICEMAIL_CALLS = [
  seedCallItem({
    contactId: 'vm1',
    startedAt: '2026-11-25T16:00:00.000Z',
    outcome: 'voicemail',
    firstTime: true,
    voicemailKey: 'connect/voicemail/vm1.wav',
    voicemailDurationSeconds: 23,
  }),
  // Left a message, but the voicemail work has not stored its key and length yet.
  seedCallItem({
    contactId: 'vm2',
    startedAt: '2026-11-25T16:10:00.000Z',
    outcome: 'voicemail',
    firstTime: true,
  }),
];
const NOVEMBER = {
  fromMs: Date.parse('2026-11-01T00:00:00Z'),
  toMs: Date.parse('2026-11-30T00:00:00Z'),
};

/** A reader that answers from CALL and records what it was asked. */
const fakeReader = (over: Partial<CallLogReader> = {}) => {
  const pages: CallsPageRequest[] = [];
  const rollupReads: [readonly string[], { locationId?: string } | undefined][] = [];
  const reader: CallLogReader = {
    getCall: async (id) =>
      id === 'c1'
        ? { ...CALL, recordings: ['s3://b/c1.wav'] }
        : (VOICEMAIL_CALLS.find((c) => c.contactId === id) ?? undefined),
    listCalls: async (page) => {
      pages.push(page);
      return {
        items: [CALL],
        next: { partition: '2026-11', key: { pk: 'CALL#c1' } },
        itemsRead: 3,
      };
    },
    readRollups: async (days, options) => {
      rollupReads.push([days, options]);
      return [];
    },
    ...over,
  };
  return { reader, pages, rollupReads };
};

describe('listCalls', () => {
  it('reads one page along the planned index and answers the calls as the API shows them', async () => {
    const { reader, pages } = fakeReader();
    const page = await createListCalls({ reader })({ filters: {}, range: NOVEMBER, limit: 10 });
    expect(page).toEqual({
      items: [toCall(CALL)],
      next: { partition: '2026-11', key: { pk: 'CALL#c1' } },
    });
    expect(pages).toHaveLength(1);
    expect(pages[0]).toMatchObject({ limit: 10, maxItemsRead: DEFAULT_MAX_ITEMS_READ });
    expect(pages[0]?.plan.partitions).toContain('2026-11');
    expect(pages[0]).not.toHaveProperty('start');
  });

  it('goes on from a position of this list, and ends without a next one', async () => {
    const { reader, pages } = fakeReader({
      listCalls: async (page) => {
        pages.push(page);
        return { items: [], itemsRead: 0 };
      },
    });
    const start = { partition: '2026-11', key: { pk: 'CALL#c0' } };
    const listCalls = createListCalls({ reader, maxItemsRead: 50 });
    const page = await listCalls({ filters: {}, range: NOVEMBER, limit: 5, start });
    expect(page).toEqual({ items: [] });
    expect(pages[0]).toMatchObject({ start, maxItemsRead: 50 });
  });

  it('refuses a position in a partition the list does not read, before reading', async () => {
    const { reader, pages } = fakeReader();
    const start = { partition: 'LOC#austin' };
    await expect(
      createListCalls({ reader })({ filters: {}, range: NOVEMBER, limit: 5, start }),
    ).rejects.toBeInstanceOf(ForeignPositionError);
    expect(pages).toEqual([]);
  });
});

describe('call details', () => {
  const updates: [string, LeadUpdate][] = [];
  const details = createCallDetails({
    reader: fakeReader().reader,
    recordingUrls: async (locations) =>
      locations.map((l) => ({ url: `https://signed/${l}`, expiresAt: '2026-11-26T12:05:00Z' })),
    recordingKeyUrl: async (key) => ({
      url: `https://signed/key/${key}`,
      expiresAt: '2026-11-26T12:05:00Z',
    }),
    updateLead: async (id, update) => {
      updates.push([id, update]);
      return id === 'c1' ? { ...CALL, leadStatus: 'rented' } : undefined;
    },
  });

  it('answers a call with a link to each recording', async () => {
    expect(await details.get('c1')).toEqual({
      ...toCall({ ...CALL, recordings: ['s3://b/c1.wav'] }),
      recordings: [{ url: 'https://signed/s3://b/c1.wav', expiresAt: '2026-11-26T12:05:00Z' }],
      voicemail: null,
      // Stored without its null fields, served with every one.
      journey: CALL.journey?.map(fullStep),
    });
  });

  it('answers a message with a link to its audio and its length, null where unknown', async () => {
    expect((await details.get('vm1')).voicemail).toEqual({
      recordingUrl: 'https://signed/key/connect/voicemail/vm1.wav',
      durationSeconds: 23,
      transcript: null,
    });
    expect((await details.get('vm2')).voicemail).toEqual({
      recordingUrl: null,
      durationSeconds: null,
      transcript: null,
    });
  });

  it("answers a message's transcript from the JSON Transcribe wrote, null until it exists", async () => {
    const read: string[] = [];
    const withTranscripts = createCallDetails({
      reader: fakeReader().reader,
      recordingUrls: async () => [],
      recordingKeyUrl: async () => undefined,
      updateLead: async () => undefined,
      readObjectText: async (key) => {
        read.push(key);
        if (key.includes('vm1')) {
          return JSON.stringify({
            results: { transcripts: [{ transcript: 'Hi, a 10x10 please.' }] },
          });
        }
        throw new Error('AccessDenied');
      },
    });
    expect((await withTranscripts.get('vm1')).voicemail?.transcript).toBe('Hi, a 10x10 please.');
    expect(read).toEqual(['connect/voicemail/transcripts/vm1.json']);
    expect((await withTranscripts.get('vm2')).voicemail?.transcript ?? null).toBeNull();
  });

  it('answers the updated call, and NotFoundError naming an unknown contact', async () => {
    expect(await details.updateLead('c1', { leadStatus: 'rented' })).toMatchObject({
      contactId: 'c1',
      leadStatus: 'rented',
    });
    await expect(details.updateLead('zz', { spam: true })).rejects.toThrow(
      new NotFoundError('no call with contactId zz'),
    );
    await expect(details.get('zz')).rejects.toBeInstanceOf(NotFoundError);
    expect(updates).toEqual([
      ['c1', { leadStatus: 'rented' }],
      ['zz', { spam: true }],
    ]);
  });
});

describe('call reports', () => {
  it('read the rows of the days asked for, only one location when the filter names one', async () => {
    const { reader, rollupReads } = fakeReader();
    const reports = createCallReports(reader);
    const days = ['2026-11-01', '2026-11-02'];
    const summary = await reports.summary({ days, filters: {}, groupBy: 'day' });
    expect(summary).toMatchObject({ from: '2026-11-01', to: '2026-11-02', groupBy: 'day' });
    expect(summary.rows.map((r) => r.group)).toEqual(days);
    const series = await reports.timeseries({
      days,
      filters: { locationId: 'austin', source: 'Google Ads' },
      interval: 'day',
      groupBy: 'none',
    });
    expect(series).toMatchObject({ interval: 'day' });
    // By day the summary needs day rows; the series reads days too.
    expect(rollupReads).toEqual([
      [days, { wholeMonths: false }],
      [days, { locationId: 'austin', wholeMonths: false }],
    ]);
    await reports.summary({ days, filters: {}, groupBy: 'location' });
    expect(rollupReads.at(-1)).toEqual([days, { wholeMonths: true }]);
  });
});

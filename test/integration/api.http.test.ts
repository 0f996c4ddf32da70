import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiHarness,
  RECORDING_BYTES,
  startApiHarness,
  TOKENS,
  VOICEMAIL_BYTES,
} from '../support/api-harness.js';

let api: ApiHarness;
beforeAll(async () => {
  api = await startApiHarness();
});
afterAll(async () => {
  await api?.close();
});

const ids = (body: { items: { contactId: string }[] }) => body.items.map((c) => c.contactId);

/** Every page of a list, following nextCursor. */
const allPages = async (path: string) => {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const r = await api.call(cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path);
    expect(r.status).toBe(200);
    pages.push(ids(r.body));
    cursor = r.body.nextCursor;
  } while (cursor && pages.length < 20);
  return pages;
};

describe('GET /calls over HTTP', () => {
  it('lists the last 30 days newest first, across months, as public calls (no keys)', async () => {
    const r = await api.call('/calls');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(ids(r.body)).toEqual(['c1', 'c2', 'c6', 'c3', 'c4']);
    expect(r.body.nextCursor).toBeUndefined();
    expect(r.body.items[0]).toEqual({
      contactId: 'c1',
      startedAt: '2026-11-25T15:00:00.000Z',
      endedAt: '2026-11-25T15:01:00.000Z',
      durationSeconds: 60,
      caller: '+15125550150',
      trackingNumber: '+15125550101',
      locationId: 'austin',
      locationName: 'Austin North',
      source: 'google',
      campaign: 'fall',
      outcome: 'answered-location',
      answered: true,
      firstTime: true,
      recording: true,
      leadStatus: null,
      value: null,
      note: null,
      tags: [],
      spam: false,
      handled: false,
      // The seed's record names no transfer or queue.
      routedTo: { kind: 'none', number: null, queue: null },
      // 60 s: the service's 0.018 and the DID's 0.0022 for a minute.
      estimatedCost: {
        currency: 'USD',
        total: 0.0202,
        totalMicros: 20_200,
        priceDate: '2026-12-03',
        lines: [
          { kind: 'service', seconds: 60, billedSeconds: 60, perMinute: 0.018, amount: 0.018 },
          {
            kind: 'inbound-did',
            seconds: 60,
            billedSeconds: 60,
            perMinute: 0.0022,
            amount: 0.0022,
          },
        ],
      },
    });
    expect(r.body.items[2]).toMatchObject({ contactId: 'c6', locationId: null, source: null });
  });

  it('pages with signed cursors: every call once, in order', async () => {
    expect(await allPages('/calls?limit=2')).toEqual([['c1', 'c2'], ['c6', 'c3'], ['c4']]);
    expect(await allPages('/calls?limit=1&from=2026-09-01&to=2026-11-30')).toEqual([
      ['c1'],
      ['c2'],
      ['c6'],
      ['c3'],
      ['c4'],
      ['c5'],
      // A full page cannot know it is the last without reading one more item (DynamoDB returns
      // LastEvaluatedKey when Limit is reached), so the list may end with an empty page.
      [],
    ]);
  });

  it('filters by location, tracking number, source, outcome and first time', async () => {
    const list = async (query: string) => ids((await api.call(`/calls?${query}`)).body);
    expect(await list('locationId=austin')).toEqual(['c1', 'c2']);
    expect(await list('trackingNumber=%2B15125550103')).toEqual(['c3', 'c4']);
    expect(await list('trackingNumber=+15125550103&locationId=dallas')).toEqual(['c3', 'c4']);
    expect(await list('source=google&outcome=missed')).toEqual(['c3']);
    expect(await list('firstTime=false')).toEqual(['c6', 'c3']);
    expect(await list('locationId=dallas&source=google&limit=1&from=2026-10-30')).toEqual(['c3']);
    expect(await list('from=2026-09-01&to=2026-09-01')).toEqual(['c5']);
  });

  it('filters by caller at every location, with the other filters, and refuses a number not in E.164', async () => {
    const list = async (query: string) => ids((await api.call(`/calls?${query}`)).body);
    expect(await list('caller=%2B15125550150')).toEqual(['c1', 'c3']);
    expect(await list('caller=+15125550150&locationId=dallas')).toEqual(['c3']);
    expect(await list('caller=%2B15125550150&limit=1')).toEqual(['c1']);
    expect(await allPages('/calls?caller=%2B15125550150&limit=1')).toEqual([['c1'], ['c3'], []]);
    expect(await list('caller=%2B15125550199')).toEqual([]);
    const bad = await api.call('/calls?caller=5125550150');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^caller: "5125550150" is not an E.164/);
  });

  it('refuses an unknown parameter, bad values (all at once), a cursor of other filters and a forged one', async () => {
    const unknown = await api.call('/calls?answered=true');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('unknown parameter "answered": allowed are from');
    const bad = await api.call('/calls?limit=0&outcome=won&trackingNumber=512');
    expect(bad.status).toBe(400);
    expect(bad.body.error.problems).toHaveLength(3);
    const first = await api.call('/calls?limit=1&locationId=austin');
    const cursor = encodeURIComponent(first.body.nextCursor);
    const other = await api.call(`/calls?limit=1&locationId=dallas&cursor=${cursor}`);
    expect(other.status).toBe(400);
    expect(other.body.error).toMatchObject({ code: 'invalid-cursor' });
    expect(other.body.error.message).toContain('other filters');
    const next = await api.call(`/calls?limit=5&locationId=austin&cursor=${cursor}`);
    expect(ids(next.body)).toEqual(['c2']);
    const forged = await api.call(`/calls?locationId=austin&cursor=${cursor.slice(2)}`);
    expect(forged.status).toBe(400);
    expect(forged.body.error.message).toMatch(/^invalid cursor/);
    const repeated = await api.call('/calls?source=a&source=b');
    expect(repeated.status).toBe(400);
  });
});

describe('GET /calls/{contactId}', () => {
  it('gives a working presigned link to a recording in the recordings bucket', async () => {
    const r = await api.call('/calls/c1');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ contactId: 'c1', recording: true });
    expect(r.body.recordings).toHaveLength(1);
    const [link] = r.body.recordings;
    expect(link.url).toContain('X-Amz-Expires=300');
    const expiresIn = Date.parse(link.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(290_000);
    expect(expiresIn).toBeLessThanOrEqual(300_000);
    const media = await fetch(link.url);
    expect(media.status).toBe(200);
    expect(Buffer.from(await media.arrayBuffer())).toEqual(RECORDING_BYTES);
  });

  it('gives no link to a recording in another bucket, none when there is none, 404 when absent', async () => {
    const c4 = await api.call('/calls/c4');
    expect(c4.body).toMatchObject({ contactId: 'c4', recording: true, recordings: [] });
    const c2 = await api.call('/calls/c2');
    expect(c2.body).toMatchObject({ recording: false, recordings: [] });
    expect((await api.call('/calls/c1')).body.voicemail).toBeNull();
    const none = await api.call('/calls/nope');
    expect(none.status).toBe(404);
    expect(none.body).toEqual({
      error: { status: 404, code: 'not-found', message: 'no call with contactId nope' },
    });
  });

  it('answers 400, not a DynamoDB key error, for a contact id longer than Connect gives', async () => {
    const long = await api.call(`/calls/${'a'.repeat(2_100)}`);
    expect(long.status).toBe(400);
    expect(long.body.error.message).toMatch(/2100 characters is longer than a contact id/);
    const patched = await api.call(`/calls/${'a'.repeat(257)}`, {
      method: 'PATCH',
      token: TOKENS.admin,
      body: { spam: true },
    });
    expect(patched.status).toBe(400);
    expect((await api.call(`/calls/${'a'.repeat(256)}`)).status).toBe(404);
  });
});

describe('voicemail', () => {
  it('lists the calls with a message, each with a presigned link that plays it', async () => {
    expect(ids((await api.call('/calls?outcome=voicemail')).body)).toEqual(['c2']);
    const r = await api.call('/calls/c2');
    expect(r.body.voicemail).toEqual({
      recordingUrl: expect.stringContaining('X-Amz-Expires=300'),
      durationSeconds: 18,
      transcript: null,
    });
    // A plain GET, no Authorization header: the dashboard's <audio> element plays it.
    const media = await fetch(r.body.voicemail.recordingUrl);
    expect(media.status).toBe(200);
    expect(Buffer.from(await media.arrayBuffer())).toEqual(VOICEMAIL_BYTES);
  });

  it('marks a message handled and unhandled, and the mark survives in the list', async () => {
    expect((await api.call('/calls/c2')).body.handled).toBe(false);
    const marked = await api.call('/calls/c2', {
      method: 'PATCH',
      token: TOKENS.admin,
      body: { handled: true },
    });
    expect(marked.status).toBe(200);
    expect(marked.body).toMatchObject({ contactId: 'c2', handled: true, outcome: 'voicemail' });
    const listed = await api.call('/calls?outcome=voicemail');
    expect(listed.body.items[0]).toMatchObject({ contactId: 'c2', handled: true });
    const unmarked = await api.call('/calls/c2', {
      method: 'PATCH',
      token: TOKENS.admin,
      body: { handled: false },
    });
    expect(unmarked.body.handled).toBe(false);
  });

  it('counts messages in the summary and the time series', async () => {
    const summary = await api.call('/reports/summary?groupBy=source');
    expect(summary.body.totals).toMatchObject({ voicemail: 1, callback: 0, voicemailBox: 0 });
    const series = await api.call('/reports/timeseries?from=2026-11-24&to=2026-11-24');
    expect(series.body.series[0].points).toEqual([
      { t: '2026-11-24', calls: 1, voicemail: 1, callback: 0 },
    ]);
  });
});

describe('PATCH /calls/{contactId}', () => {
  it('sets lead fields with an admin token and the list filters on them', async () => {
    const r = await api.call('/calls/c2', {
      method: 'PATCH',
      token: TOKENS.admin,
      body: { leadStatus: 'rented', value: 150, note: 'unit 12', tags: ['web'] },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      contactId: 'c2',
      leadStatus: 'rented',
      value: 150,
      note: 'unit 12',
      tags: ['web'],
      spam: false,
    });
    expect(r.body.pk).toBeUndefined();
    expect(ids((await api.call('/calls?leadStatus=rented')).body)).toEqual(['c2']);
    const cleared = await api.call('/calls/c2', {
      method: 'PATCH',
      token: TOKENS.admin,
      body: { note: null },
    });
    expect(cleared.body).toMatchObject({ note: null, leadStatus: 'rented' });
  });

  it('refuses a read token (403), a bad body (400), an unknown call (404)', async () => {
    const read = await api.call('/calls/c2', { method: 'PATCH', body: { spam: true } });
    expect(read.status).toBe(403);
    expect(read.body.error.code).toBe('forbidden');
    const bad = await api.call('/calls/c2', {
      method: 'PATCH',
      token: TOKENS.admin,
      body: { leadStatus: 'won', extra: 1 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.problems).toHaveLength(2);
    const notJson = await api.call('/calls/c2', {
      method: 'PATCH',
      token: TOKENS.admin,
      body: '{"spam":',
    });
    expect(notJson.body.error.code).toBe('invalid-json');
    const absent = await api.call('/calls/nope', {
      method: 'PATCH',
      token: TOKENS.admin,
      body: { spam: true },
    });
    expect(absent.status).toBe(404);
  });
});

describe('reports', () => {
  it('summarises the last 30 days by source from the rollups', async () => {
    const r = await api.call('/reports/summary?groupBy=source');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ from: '2026-10-28', to: '2026-11-26', groupBy: 'source' });
    expect(r.body.rows.map((row: any) => [row.group, row.calls, row.uniqueCallers])).toEqual([
      ['google', 3, 2],
      ['yelp', 1, 1],
      [null, 1, 1],
    ]);
    expect(r.body.totals).toMatchObject({ calls: 5, uniqueCallers: 4, answered: 2, missed: 1 });
    expect(r.body.totals.averageDurationSeconds).toBe(41);
  });

  it('filters by location (one prefix query per day) and groups by day', async () => {
    const r = await api.call(
      '/reports/summary?groupBy=day&locationId=austin&from=2026-11-24&to=2026-11-25',
    );
    expect(r.body.rows.map((row: any) => [row.group, row.calls])).toEqual([
      ['2026-11-24', 1],
      ['2026-11-25', 1],
    ]);
    const byNumber = await api.call(
      '/reports/summary?groupBy=location&trackingNumber=%2B15125550103',
    );
    expect(byNumber.body.rows.map((row: any) => [row.group, row.calls])).toEqual([['dallas', 2]]);
  });

  it('gives zero-filled time series per day and per hour', async () => {
    const daily = await api.call('/reports/timeseries?from=2026-11-24&to=2026-11-26');
    expect(daily.body).toEqual({
      from: '2026-11-24',
      to: '2026-11-26',
      interval: 'day',
      groupBy: 'none',
      series: [
        {
          group: 'all',
          points: [
            { t: '2026-11-24', calls: 1, voicemail: 1, callback: 0 },
            { t: '2026-11-25', calls: 1, voicemail: 0, callback: 0 },
            { t: '2026-11-26', calls: 0, voicemail: 0, callback: 0 },
          ],
        },
      ],
    });
    const hourly = await api.call(
      '/reports/timeseries?interval=hour&groupBy=source&from=2026-11-25&to=2026-11-25',
    );
    expect(hourly.body.series).toHaveLength(1);
    expect(hourly.body.series[0].group).toBe('google');
    expect(hourly.body.series[0].points).toHaveLength(24);
    expect(hourly.body.series[0].points[15]).toEqual({
      t: '2026-11-25T15:00:00Z',
      calls: 1,
      voicemail: 0,
      callback: 0,
    });
    const tooLong = await api.call('/reports/timeseries?interval=hour&from=2026-01-01');
    expect(tooLong.status).toBe(400);
  });
});

describe('authentication over HTTP', () => {
  it('refuses no token and an unknown token with 401 and only an error body', async () => {
    for (const token of [null, 'wrong-token']) {
      for (const path of ['/calls', '/calls/c1', '/reports/summary', '/nope']) {
        const r = await api.call(path, { token });
        expect(r.status).toBe(401);
        expect(r.body).toEqual({
          error: { status: 401, code: 'unauthorized', message: expect.any(String) },
        });
        expect(JSON.stringify(r.body)).not.toContain('c1');
      }
    }
  });

  it('answers 404 and 405 for routes that do not exist', async () => {
    expect((await api.call('/nope')).status).toBe(404);
    const r = await api.call('/reports/summary', { method: 'DELETE', token: TOKENS.admin });
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('GET');
  });
});

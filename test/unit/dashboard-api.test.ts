import { describe, expect, it } from 'vitest';
import { ApiError, createApi } from '../../dashboard/src/api.js';

interface Sent {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

/** A fetch that records each request and answers with `respond`. */
const recordingFetch = (respond: () => Response) => {
  const sent: Sent[] = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    sent.push({
      url,
      method: init.method ?? 'GET',
      headers: init.headers as Record<string, string>,
      body:
        init.body === null || init.body === undefined ? undefined : JSON.parse(String(init.body)),
    });
    return respond();
  }) as typeof fetch;
  return { sent, fetchImpl };
};

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('the dashboard API client', () => {
  it('sends the bearer token to relative paths, with only the filters given', async () => {
    const { sent, fetchImpl } = recordingFetch(() => json(200, { items: [] }));
    const api = createApi('t0k3n', '', fetchImpl);
    await api.listCalls({
      from: '2026-11-01',
      to: '2026-11-30',
      source: 'Google Ads',
      cursor: undefined,
    });
    // %20, not +: the API reads + as a plus (E.164 numbers), so "Google+Ads" would find nothing.
    expect(sent[0]?.url).toBe('/calls?from=2026-11-01&to=2026-11-30&source=Google%20Ads');
    expect(sent[0]?.headers.authorization).toBe('Bearer t0k3n');
    expect(sent[0]?.body).toBeUndefined();
    await api.summary('source', { from: '2026-11-01', locationId: 'downtown' });
    expect(sent[1]?.url).toBe(
      '/reports/summary?groupBy=source&from=2026-11-01&locationId=downtown',
    );
    await api.timeseries('day', 'source', {});
    expect(sent[2]?.url).toBe('/reports/timeseries?interval=day&groupBy=source');
  });

  it('encodes path segments: the + of a tracking number is %2B', async () => {
    const { sent, fetchImpl } = recordingFetch(() => json(200, {}));
    const api = createApi('t', '', fetchImpl);
    await api.putTrackingNumber('+15125550103', { id: 'nl', location: 'north', source: 'Yelp' });
    expect(sent[0]).toMatchObject({
      url: '/tracking-numbers/%2B15125550103',
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: { id: 'nl', location: 'north', source: 'Yelp' },
    });
    await api.updateCall('a/b', { leadStatus: null });
    expect(sent[1]).toMatchObject({
      url: '/calls/a%2Fb',
      method: 'PATCH',
      body: { leadStatus: null },
    });
  });

  it('answers a 204 with nothing', async () => {
    const { fetchImpl } = recordingFetch(() => new Response(null, { status: 204 }));
    await expect(createApi('t', '', fetchImpl).deleteLocation('x')).resolves.toBeUndefined();
  });

  it("rejects with the API's own message and problems", async () => {
    const { fetchImpl } = recordingFetch(() =>
      json(422, {
        error: {
          status: 422,
          code: 'routing-loop',
          message: 'This would make a routing loop.',
          problems: ['ringTo: +15125550103 is a tracking number'],
        },
      }),
    );
    const error = await createApi('t', '', fetchImpl)
      .putLocation('north', {} as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 422,
      code: 'routing-loop',
      message: 'This would make a routing loop.',
      problems: ['ringTo: +15125550103 is a tracking number'],
    });
  });

  it('says what happened when the answer is not the error shape, or there is no answer', async () => {
    const { fetchImpl } = recordingFetch(
      () => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    );
    await expect(createApi('t', '', fetchImpl).listLocations()).rejects.toMatchObject({
      status: 502,
      message: 'The API answered 502 (Bad Gateway).',
    });
    const down = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    await expect(createApi('t', '', down).listLocations()).rejects.toMatchObject({
      status: 0,
      code: 'network',
      message: 'The API could not be reached. Is the server running?',
    });
  });
});

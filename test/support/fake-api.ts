/**
 * A STAND-IN for the reporting and management API, for the dashboard's browser test only: the
 * shapes the dashboard reads (see dashboard/src/api.ts), over fixed data held in memory. It is not
 * the API: no DynamoDB, no rollups, a few checks. The real local system replaces it when it exists.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export const FAKE_TOKEN = 'fake-token-for-the-dashboard-test';

type Outcome = 'answered-location' | 'answered-fallback' | 'voicemail' | 'missed' | 'abandoned';
type LeadStatus = 'active' | 'rented' | 'lost';

export interface FakeCall {
  contactId: string;
  startedAt: string;
  endedAt?: string;
  durationSeconds?: number;
  caller?: string;
  trackingNumber?: string;
  locationId?: string;
  locationName?: string;
  source?: string;
  campaign?: string;
  outcome: Outcome;
  answered: boolean;
  firstTime: boolean;
  recording: boolean;
  leadStatus?: LeadStatus;
  value?: number;
  note?: string;
  tags?: string[];
  spam?: boolean;
}

interface FakeLocation {
  id: string;
  name: string;
  timeZone: string;
  hours: Record<string, string>;
  ringTo: string;
  ringTimeoutSeconds?: number;
  publishedNumbers: string[];
  recording: { enabled: boolean; disclosure?: string };
  fallback: { type: string; queue?: string; number?: string };
  owner: 'portfolio' | 'api';
  declaredIn?: string;
}

interface FakeTrackingNumber {
  number: string;
  id: string;
  locationId: string;
  source: string;
  campaign?: string;
  owner: 'portfolio' | 'api';
  declaredIn?: string;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
}

const WEEK = { mon: '09:00-18:00', tue: '09:00-18:00', wed: '09:00-18:00', thu: '09:00-18:00' };
const HOURS = { ...WEEK, fri: '09:00-18:00', sat: '10:00-16:00', sun: 'closed' };

/** `yyyy-mm-dd` of `daysAgo` days before now, UTC. */
const day = (daysAgo: number): string =>
  new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);

const call = (
  contactId: string,
  daysAgo: number,
  fields: Omit<FakeCall, 'contactId' | 'startedAt' | 'answered' | 'recording'> & {
    recording?: boolean;
  },
): FakeCall => {
  const startedAt = `${day(daysAgo)}T15:${String(10 + daysAgo).padStart(2, '0')}:00.000Z`;
  const durationSeconds = fields.outcome === 'abandoned' ? 4 : 95 + daysAgo * 7;
  return {
    contactId,
    startedAt,
    endedAt: new Date(Date.parse(startedAt) + durationSeconds * 1000).toISOString(),
    durationSeconds,
    answered: fields.outcome === 'answered-location' || fields.outcome === 'answered-fallback',
    recording: fields.recording ?? false,
    ...fields,
  };
};

const DOWNTOWN = { locationId: 'downtown', locationName: 'Downtown Storage' };
const NORTH = { locationId: 'north-lamar', locationName: 'North Lamar Storage' };
const GOOGLE_DT = { ...DOWNTOWN, source: 'Google Ads', trackingNumber: '+15125550101' };
const YELP_DT = { ...DOWNTOWN, source: 'Yelp', trackingNumber: '+15125550102' };
const GOOGLE_N = { ...NORTH, source: 'Google Ads', trackingNumber: '+15125550103' };

/**
 * The fixed data: 8 calls in the last 10 days. By location and source:
 * Downtown × Google Ads: 3 calls, 2 lead calls, 2 unique callers, 2 answered, 1 missed, 1 rented (50%).
 * Downtown × Yelp: 2 calls, 2 leads, 2 callers, 1 answered, 0 missed, close 0%.
 * North Lamar × Google Ads: 3 calls, 2 leads, 2 callers, 2 answered, 0 missed, close 0%.
 * Without a location (an unknown number, to the static fallback): 1 call, not a lead, answered.
 * All: 9 calls, 6 leads, 7 callers, 6 answered, 1 missed, close 1/6.
 */
export const fakeCalls = (): FakeCall[] => [
  call('c-101', 1, {
    ...GOOGLE_DT,
    caller: '+15125551001',
    outcome: 'answered-location',
    firstTime: true,
    leadStatus: 'rented',
    value: 129,
    recording: true,
  }),
  call('c-102', 2, {
    ...GOOGLE_DT,
    caller: '+15125551002',
    outcome: 'answered-location',
    firstTime: true,
    leadStatus: 'active',
    recording: true,
  }),
  call('c-103', 3, { ...GOOGLE_DT, caller: '+15125551001', outcome: 'missed', firstTime: false }),
  call('c-104', 4, { ...YELP_DT, caller: '+15125551003', outcome: 'voicemail', firstTime: true }),
  call('c-105', 5, {
    ...YELP_DT,
    caller: '+15125551004',
    outcome: 'answered-fallback',
    firstTime: true,
    leadStatus: 'lost',
  }),
  call('c-106', 6, {
    ...GOOGLE_N,
    caller: '+15125551005',
    outcome: 'answered-location',
    firstTime: true,
    recording: true,
    campaign: 'Spring promo',
  }),
  call('c-107', 8, { ...GOOGLE_N, caller: '+15125551006', outcome: 'abandoned', firstTime: true }),
  call('c-108', 10, {
    ...GOOGLE_N,
    caller: '+15125551005',
    outcome: 'answered-location',
    firstTime: false,
  }),
  call('c-109', 7, {
    trackingNumber: '+15125550199',
    caller: '+15125551007',
    outcome: 'answered-fallback',
    firstTime: false,
  }),
];

const fakeLocations = (): FakeLocation[] => [
  {
    id: 'downtown',
    name: 'Downtown Storage',
    timeZone: 'America/Chicago',
    hours: HOURS,
    ringTo: '+15125559001',
    publishedNumbers: ['+15125558001'],
    recording: { enabled: true },
    fallback: { type: 'queue', queue: 'call-center' },
    owner: 'portfolio',
    declaredIn: 'config/portfolio.yaml',
  },
  {
    id: 'north-lamar',
    name: 'North Lamar Storage',
    timeZone: 'America/Chicago',
    hours: HOURS,
    ringTo: '+15125559002',
    ringTimeoutSeconds: 25,
    publishedNumbers: [],
    recording: { enabled: true },
    fallback: { type: 'voicemail', number: '+15125559102' },
    owner: 'api',
  },
];

const fakeTrackingNumbers = (): FakeTrackingNumber[] => [
  {
    number: '+15125550101',
    id: 'dt-google',
    locationId: 'downtown',
    source: 'Google Ads',
    owner: 'portfolio',
    declaredIn: 'config/portfolio.yaml',
  },
  {
    number: '+15125550102',
    id: 'dt-yelp',
    locationId: 'downtown',
    source: 'Yelp',
    owner: 'portfolio',
    declaredIn: 'config/portfolio.yaml',
  },
  {
    number: '+15125550103',
    id: 'nl-google',
    locationId: 'north-lamar',
    source: 'Google Ads',
    campaign: 'Spring promo',
    owner: 'api',
  },
];

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems?: string[],
  ) {
    super(message);
  }
}

const E164 = /^\+[1-9]\d{6,14}$/;

/** A silent, 0.1 s, 8 kHz mono WAV: the "recording" every fake call with one plays. */
const silentWav = (): Buffer => {
  const samples = 800;
  const b = Buffer.alloc(44 + samples * 2);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + samples * 2, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(8000, 24);
  b.writeUInt32LE(16000, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(samples * 2, 40);
  return b;
};

const readBody = async (req: IncomingMessage): Promise<unknown> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new Refusal(400, 'invalid-json', 'The body is not JSON.');
  }
};

export interface FakeApi {
  /** Answers an API request (or a fake recording); false when the path is not the API's. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** Every API request, in order. */
  readonly requests: RecordedRequest[];
  readonly calls: FakeCall[];
}

/** A fresh stand-in API over the fixed data. `maxPageSize` caps `limit`, to page the list. */
export const createFakeApi = ({ maxPageSize = 100 }: { maxPageSize?: number } = {}): FakeApi => {
  const calls = fakeCalls();
  const locations = fakeLocations();
  const numbers = fakeTrackingNumbers();
  const requests: RecordedRequest[] = [];

  const inRange = (q: URLSearchParams) => (c: FakeCall) => {
    const d = c.startedAt.slice(0, 10);
    const from = q.get('from');
    const to = q.get('to');
    return (!from || d >= from) && (!to || d <= to);
  };
  const filtered = (q: URLSearchParams): FakeCall[] =>
    calls.filter(inRange(q)).filter((c) => {
      const eq = (key: keyof FakeCall, param: string) =>
        q.get(param) === null || String(c[key]) === q.get(param);
      return (
        eq('locationId', 'locationId') &&
        eq('trackingNumber', 'trackingNumber') &&
        eq('source', 'source') &&
        eq('outcome', 'outcome') &&
        eq('firstTime', 'firstTime') &&
        eq('leadStatus', 'leadStatus')
      );
    });

  const summaryRow = (group: string, rows: FakeCall[]) => {
    const leads = rows.filter((c) => c.firstTime);
    const conversions = leads.filter((c) => c.leadStatus === 'rented').length;
    const durations = rows.flatMap((c) =>
      c.durationSeconds === undefined ? [] : [c.durationSeconds],
    );
    return {
      group,
      calls: rows.length,
      leadCalls: leads.length,
      uniqueCallers: new Set(rows.map((c) => c.caller)).size,
      answered: rows.filter((c) => c.answered).length,
      missed: rows.filter((c) => c.outcome === 'missed').length,
      voicemail: rows.filter((c) => c.outcome === 'voicemail').length,
      abandoned: rows.filter((c) => c.outcome === 'abandoned').length,
      conversions,
      leadsActive: leads.filter((c) => c.leadStatus === 'active').length,
      leadsLost: leads.filter((c) => c.leadStatus === 'lost').length,
      closeRate: leads.length === 0 ? null : conversions / leads.length,
      averageDurationSeconds:
        durations.length === 0 ? null : durations.reduce((a, b) => a + b, 0) / durations.length,
      value: rows.reduce((a, c) => a + (c.value ?? 0), 0),
    };
  };
  const groupKey = (groupBy: string, c: FakeCall): string =>
    groupBy === 'location'
      ? (c.locationId ?? '-')
      : groupBy === 'trackingNumber'
        ? (c.trackingNumber ?? '-')
        : groupBy === 'day'
          ? c.startedAt.slice(0, 10)
          : groupBy === 'none'
            ? 'all'
            : (c.source ?? '-');
  const grouped = (groupBy: string, rows: FakeCall[]): Map<string, FakeCall[]> => {
    const groups = new Map<string, FakeCall[]>();
    for (const c of rows) {
      const k = groupKey(groupBy, c);
      groups.set(k, [...(groups.get(k) ?? []), c]);
    }
    return new Map([...groups].sort(([a], [b]) => a.localeCompare(b)));
  };

  const locationView = (l: FakeLocation) => ({
    ...l,
    trackingNumbers: numbers.filter((n) => n.locationId === l.id).map((n) => n.number),
  });

  const checkLocation = (id: string, body: unknown): FakeLocation => {
    const b = (body ?? {}) as Partial<FakeLocation>;
    const problems: string[] = [];
    if (!/^[a-z0-9-]+$/.test(id)) problems.push('id: lowercase letters, digits and dashes only');
    if (!b.name) problems.push('name: required');
    if (!b.timeZone) problems.push('timeZone: required, an IANA name such as America/Chicago');
    if (!b.ringTo || !E164.test(b.ringTo))
      problems.push('ringTo: an E.164 number such as +15125550100');
    for (const d of ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']) {
      const v = b.hours?.[d];
      if (!v || !/^(closed|open-24h|\d\d:\d\d-\d\d:\d\d(,\d\d:\d\d-\d\d:\d\d)*)$/.test(v))
        problems.push(`hours.${d}: HH:MM-HH:MM, closed or open-24h`);
    }
    if (problems.length > 0)
      throw new Refusal(
        400,
        'invalid-location',
        `Location ${id} is not valid: ${problems.length} problem(s).`,
        problems,
      );
    const loops = [b.ringTo, b.fallback?.number]
      .filter((n): n is string => n !== undefined)
      .filter((n) => numbers.some((t) => t.number === n));
    if (loops.length > 0)
      throw new Refusal(
        422,
        'routing-loop',
        `This would make a routing loop: ${loops.join(', ')} is a tracking number, so the system would call itself.`,
        loops.map(
          (n) => `${n === b.ringTo ? 'ringTo' : 'fallback.number'}: ${n} is a tracking number`,
        ),
      );
    return {
      id,
      name: b.name ?? id,
      timeZone: b.timeZone ?? '',
      hours: b.hours ?? {},
      ringTo: b.ringTo ?? '',
      ...(b.ringTimeoutSeconds === undefined ? {} : { ringTimeoutSeconds: b.ringTimeoutSeconds }),
      publishedNumbers: b.publishedNumbers ?? [],
      recording: b.recording ?? { enabled: true },
      fallback: b.fallback ?? { type: 'queue', queue: 'call-center' },
      owner: 'api',
    };
  };

  const route = async (
    req: IncomingMessage,
    url: URL,
  ): Promise<{ status: number; body?: unknown }> => {
    const auth = req.headers.authorization;
    if (auth !== `Bearer ${FAKE_TOKEN}`)
      throw new Refusal(401, 'unauthorized', 'The token is missing, malformed or expired.');
    const body = req.method === 'PATCH' || req.method === 'PUT' ? await readBody(req) : undefined;
    requests.push({ method: req.method ?? 'GET', path: `${url.pathname}${url.search}`, body });
    const q = url.searchParams;
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const [top, id] = parts;

    if (top === 'calls' && id === undefined && req.method === 'GET') {
      const rows = filtered(q).sort((a, b) => b.startedAt.localeCompare(a.startedAt));
      const limit = Math.min(Number(q.get('limit') ?? 50), maxPageSize);
      const start = Number(q.get('cursor') ?? 0);
      const items = rows.slice(start, start + limit);
      const next = start + limit < rows.length ? String(start + limit) : undefined;
      return { status: 200, body: { items, ...(next ? { nextCursor: next } : {}) } };
    }
    if (top === 'calls' && id !== undefined) {
      const c = calls.find((x) => x.contactId === id);
      if (!c) throw new Refusal(404, 'not-found', `No call ${id}.`);
      if (req.method === 'PATCH') {
        const update = (body ?? {}) as Record<string, unknown>;
        for (const key of ['leadStatus', 'value', 'note', 'tags', 'spam'] as const) {
          if (!(key in update)) continue;
          if (update[key] === null) delete c[key];
          else Object.assign(c, { [key]: update[key] });
        }
        return { status: 200, body: c };
      }
      const origin = `http://${req.headers.host}`;
      const expiresAt = new Date(Date.now() + 15 * 60_000).toISOString();
      return {
        status: 200,
        body: {
          ...c,
          recordings: c.recording
            ? [
                {
                  url: `${origin}/fake-recordings/${c.contactId}.wav?X-Amz-Signature=fake`,
                  expiresAt,
                },
              ]
            : [],
        },
      };
    }
    if (top === 'reports' && id === 'summary') {
      const groupBy = q.get('groupBy') ?? 'source';
      const rows = filtered(q);
      return {
        status: 200,
        body: {
          groupBy,
          from: q.get('from'),
          to: q.get('to'),
          rows: [...grouped(groupBy, rows)].map(([g, r]) => summaryRow(g, r)),
          totals: summaryRow('total', rows),
        },
      };
    }
    if (top === 'reports' && id === 'timeseries') {
      const groupBy = q.get('groupBy') ?? 'none';
      return {
        status: 200,
        body: {
          interval: q.get('interval') ?? 'day',
          series: [...grouped(groupBy, filtered(q))].map(([group, rows]) => ({
            group,
            points: [...grouped('day', rows)].map(([t, r]) => ({ t, calls: r.length })),
          })),
        },
      };
    }
    if (top === 'locations' && id === undefined)
      return { status: 200, body: { items: locations.map(locationView) } };
    if (top === 'locations' && id !== undefined) {
      const i = locations.findIndex((l) => l.id === id);
      const existing = locations[i];
      if (existing?.owner === 'portfolio')
        throw new Refusal(
          409,
          'portfolio-owned',
          `Location ${id} is declared in ${existing.declaredIn}; change it there.`,
        );
      if (req.method === 'PUT') {
        const next = checkLocation(id, body);
        if (i >= 0) locations[i] = next;
        else locations.push(next);
        return { status: 200, body: locationView(next) };
      }
      if (req.method === 'DELETE') {
        if (!existing) throw new Refusal(404, 'not-found', `No location ${id}.`);
        locations.splice(i, 1);
        return { status: 204 };
      }
      if (!existing) throw new Refusal(404, 'not-found', `No location ${id}.`);
      return { status: 200, body: locationView(existing) };
    }
    if (top === 'tracking-numbers' && id === undefined)
      return { status: 200, body: { items: numbers } };
    if (top === 'tracking-numbers' && id !== undefined) {
      const i = numbers.findIndex((n) => n.number === id);
      const existing = numbers[i];
      if (existing?.owner === 'portfolio')
        throw new Refusal(
          409,
          'portfolio-owned',
          `${id} is declared in ${existing.declaredIn}; change it there.`,
        );
      if (req.method === 'PUT') {
        const b = (body ?? {}) as {
          id?: string;
          location?: string;
          source?: string;
          campaign?: string;
        };
        if (!E164.test(id))
          throw new Refusal(400, 'invalid-number', `${id} is not an E.164 number.`);
        if (!locations.some((l) => l.id === b.location))
          throw new Refusal(
            422,
            'unknown-location',
            `There is no location ${b.location ?? '(none)'}.`,
          );
        const next: FakeTrackingNumber = {
          number: id,
          id: b.id ?? id,
          locationId: b.location ?? '',
          source: b.source ?? '',
          ...(b.campaign ? { campaign: b.campaign } : {}),
          owner: 'api',
        };
        if (i >= 0) numbers[i] = next;
        else numbers.push(next);
        return { status: 200, body: next };
      }
      if (req.method === 'DELETE') {
        numbers.splice(i, 1);
        return { status: 204 };
      }
    }
    throw new Refusal(404, 'not-found', `No route ${req.method} ${url.pathname}.`);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/fake-recordings/')) {
      const wav = silentWav();
      res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': String(wav.length) });
      res.end(wav);
      return true;
    }
    route(req, url)
      .then(({ status, body }) => {
        res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
        res.end(body === undefined ? undefined : JSON.stringify(body));
      })
      .catch((error: unknown) => {
        const e = error instanceof Refusal ? error : new Refusal(500, 'internal', String(error));
        res.writeHead(e.status, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: {
              status: e.status,
              code: e.code,
              message: e.message,
              ...(e.problems ? { problems: e.problems } : {}),
            },
          }),
        );
      });
    return true;
  };

  return { handle, requests, calls };
};

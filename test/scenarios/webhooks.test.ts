import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callMain } from '../../local/call/main.js';
import { type LocalSystem, startLocalSystem } from '../../local/full-system.js';
import { listenOnLoopback } from '../../local/listen.js';
import { runInProcess } from '../support/cli.js';
import { createResponseValidator } from '../support/openapi.js';

const openapi = createResponseValidator();

/**
 * The check, as a user runs it: `npm start` (a system with its data directory, so
 * `npm run call` finds it), a receiver on 127.0.0.1 registered with POST /webhooks, then
 * `npm run call` into the running system: the receiver gets call.completed, signed, for that call;
 * a receiver answering 500 gets the same event id again (the retry schedule scaled down 20×, so
 * the first retry comes after 1 s instead of 20 s).
 */

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly at: number;
}

interface Receiver {
  readonly url: string;
  readonly received: Received[];
  /** Resolves with the `count`-th request. */
  nth(count: number, timeoutMs?: number): Promise<Received>;
  close(): Promise<void>;
}

const startReceiver = async (status: number): Promise<Receiver> => {
  const received: Received[] = [];
  const waiting: (() => void)[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      });
      response.writeHead(status).end();
      for (const wake of waiting.splice(0)) wake();
    });
  });
  const url = `${await listenOnLoopback(server)}/hooks`;
  return {
    url,
    received,
    async nth(count, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`${received.length} of ${count} requests`);
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          setTimeout(resolve, 200);
        });
      }
      return received[count - 1] as Received;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
};

/** What the README tells receivers to do. */
const verifies = (secret: string, header: string | undefined, body: string): boolean => {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!match) return false;
  const [, t, v1] = match;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return expected === v1 && Math.abs(Date.now() / 1000 - Number(t)) <= 300;
};

let dataDirectory: string;
let system: LocalSystem;

/** The response's JSON, typed loosely: the assertions check its shape. */
const json = async (response: Response | Promise<Response>): Promise<any> =>
  (await response).json();

const admin = (method: string, path: string, body?: unknown) =>
  fetch(`${system.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${system.tokens.admin}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

const register = async (url: string, events: string[]) => {
  const response = await admin('POST', '/webhooks', { url, events });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; url: string; events: string[]; secret: string };
};

const placeCall = async (): Promise<string> => {
  const run = await runInProcess(callMain, [
    '--to',
    '+15125550151',
    '--from',
    '+15125559876',
    '--at',
    '2026-11-23T10:00:00-06:00',
    '--data',
    dataDirectory,
    '--json',
  ]);
  expect(run.code, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as { logged: { contactId: string } }).logged.contactId;
};

beforeAll(async () => {
  dataDirectory = await mkdtemp(join(tmpdir(), 'webhooks-'));
  system = await startLocalSystem({
    dataDirectory: pathToFileURL(`${dataDirectory}/`),
    port: 0,
    webhookRetryScale: 0.05,
    log: () => {},
  });
}, 120_000);

afterAll(async () => {
  await system?.close();
  await rm(dataDirectory, { recursive: true, force: true });
});

describe('webhooks on the running local system', () => {
  it('npm run call → the receiver gets call.completed, signed with the secret, for that call', async () => {
    const receiver = await startReceiver(204);
    const other = await startReceiver(204);
    try {
      const webhook = await register(receiver.url, ['call.completed']);
      expect(webhook).toEqual({
        id: expect.stringMatching(/^wh_/),
        url: receiver.url,
        events: ['call.completed'],
        secret: expect.stringMatching(/^whsec_/),
        createdAt: expect.any(String),
      });
      // Another subscriber, of another type only: it gets nothing of a first log.
      await register(other.url, ['voicemail.received']);
      const started = Date.now();
      const contactId = await placeCall();
      const delivery = await receiver.nth(1);
      expect(delivery.at - started).toBeLessThan(30_000);
      expect(delivery.headers['content-type']).toBe('application/json');
      expect(delivery.headers['call-tracking-event']).toBe('call.completed');
      const signature = delivery.headers['call-tracking-signature'] as string;
      expect(verifies(webhook.secret, signature, delivery.body)).toBe(true);
      expect(verifies(`${webhook.secret}x`, signature, delivery.body)).toBe(false);
      const event = JSON.parse(delivery.body);
      expect(openapi.validateSchema('CallEvent', event)).toEqual([]);
      expect(Object.keys(event)).toEqual(['id', 'type', 'createdAt', 'data']);
      expect(event).toMatchObject({ type: 'call.completed', data: { contactId } });
      // data is what GET /calls/{id} answers (its recording links aside: signed per request).
      const call = await json(admin('GET', `/calls/${contactId}`));
      expect({ ...event.data, recordings: [] }).toEqual({ ...call, recordings: [] });
      expect(other.received).toEqual([]);

      const attempts = await json(admin('GET', `/webhooks/${webhook.id}/deliveries`));
      expect(openapi.validate('listWebhookDeliveries', 200, attempts)).toEqual([]);
      expect(attempts.items[0]).toMatchObject({ eventId: event.id, status: 204, error: null });
      // The secret is shown once: the list leaves it out.
      const list = await json(admin('GET', '/webhooks'));
      expect(JSON.stringify(list)).not.toContain(webhook.secret);
    } finally {
      await receiver.close();
      await other.close();
      for (const { id } of (await json(admin('GET', '/webhooks'))).items) {
        expect((await admin('DELETE', `/webhooks/${id}`)).status).toBe(204);
      }
    }
  }, 60_000);

  it('a receiver answering 500 gets the same event id again; a lead change is call.updated', async () => {
    const failing = await startReceiver(500);
    let webhook: { id: string; secret: string } | undefined;
    try {
      webhook = await register(failing.url, ['call.completed', 'call.updated']);
      const contactId = await placeCall();
      const first = JSON.parse((await failing.nth(1)).body);
      const second = await failing.nth(2);
      expect(JSON.parse(second.body).id).toBe(first.id);
      expect(second.body).toBe((await failing.nth(1)).body);
      const attempts = await json(admin('GET', `/webhooks/${webhook.id}/deliveries`));
      // The second attempt's record may land just after its request: wait for it.
      expect(attempts.items.at(-1)).toMatchObject({
        eventId: first.id,
        attempt: 1,
        status: 500,
        error: 'the receiver answered 500',
      });

      expect((await admin('PATCH', `/calls/${contactId}`, { leadStatus: 'rented' })).status).toBe(
        200,
      );
      const updated = await waitFor(failing, (e) => e.type === 'call.updated');
      expect(openapi.validateSchema('CallEvent', updated)).toEqual([]);
      expect(updated).toMatchObject({
        changedFields: ['leadStatus'],
        data: { contactId, leadStatus: 'rented' },
      });
    } finally {
      await failing.close();
      if (webhook) await admin('DELETE', `/webhooks/${webhook.id}`);
    }
  }, 60_000);

  it('refuses a URL that is not https or http://127.0.0.1:<port>, with 422', async () => {
    const refused = await admin('POST', '/webhooks', {
      url: 'http://crm.example.com/hooks',
      events: ['call.completed'],
    });
    expect(refused.status).toBe(422);
    expect((await json(refused)).error.code).toBe('unacceptable-url');
    const bad = await admin('POST', '/webhooks', { url: 'https://x.example', events: ['nope'] });
    expect(bad.status).toBe(400);
  });
});

const waitFor = async (
  receiver: Receiver,
  test: (event: { type: string }) => boolean,
): Promise<Record<string, unknown>> => {
  for (let n = 1; ; n += 1) {
    const event = JSON.parse((await receiver.nth(n)).body);
    if (test(event)) return event;
  }
};

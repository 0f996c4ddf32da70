import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import type {
  DeliveryAttempt,
  WebhookStore,
} from '../../lambdas/adapters/dynamodb/webhook-store.js';
import type { CallLogItem } from '../../lambdas/domain/call-log-item.js';
import { type CallDetail, toCall } from '../../lambdas/domain/call-view.js';
import { NotFoundError } from '../../lambdas/domain/request-errors.js';
import {
  callEventNotice,
  recordWriteNotices,
  retryDelaySeconds,
  type StoredWebhook,
  WEBHOOK_MAX_ATTEMPTS,
  WEBHOOK_RETRY_DELAYS_SECONDS,
  webhookSignature,
  webhookUrlProblem,
} from '../../lambdas/domain/webhook-event.js';
import { createWebhookDelivery } from '../../lambdas/use-cases/webhook-delivery.js';
import { LOCAL_WEBHOOK_URL_RULES } from '../../local/webhooks.js';

const ITEM: CallLogItem = {
  contactId: 'c-1',
  startedAt: '2026-11-23T16:00:00.000Z',
  outcome: 'answered-location',
  answered: true,
  firstTime: true,
  recordings: [],
  lastUpdate: '2026-11-23T16:05:00.000Z',
};

const detail = (item: CallLogItem = ITEM): CallDetail => ({
  ...toCall(item),
  recordings: [],
  voicemail: null,
  journey: null,
});

describe('webhookSignature', () => {
  it('is t=<seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>"> keyed with the secret (openssl-computed)', () => {
    const body = '{"id":"evt_1","type":"call.completed"}';
    // printf '%s' '1700000000.<body>' | openssl dgst -sha256 -hmac 'whsec_test-secret'
    expect(webhookSignature('whsec_test-secret', body, 1_700_000_000.9)).toBe(
      't=1700000000,v1=a948057d62a067ab42162aecbc09386cfcc4919c49c8aa37a02e2132ce1dd801',
    );
  });

  it('keys with the UTF-8 bytes of the secret and signs the UTF-8 body', () => {
    expect(webhookSignature('clé', '{"a":"é"}', 1_700_000_000)).toBe(
      't=1700000000,v1=aeff15b352c45b638f839b6c7e82161fb95c040be6b71c52b5f5fe32d4aa6067',
    );
  });
});

describe("the README's verification snippet", () => {
  it('accepts what the system signs, refuses another secret, an edited body and an old timestamp', async () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('\n## Webhooks\n'));
    const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
    if (!code) throw new Error('no js snippet in the README Webhooks section');
    const dir = await mkdtemp(join(tmpdir(), 'snippet-'));
    try {
      await writeFile(join(dir, 'verify.mjs'), code);
      const { verifyCallTrackingSignature: verify } = await import(
        pathToFileURL(join(dir, 'verify.mjs')).href
      );
      const body = '{"id":"evt_1","type":"call.completed"}';
      const now = 1_700_000_100_000;
      const header = webhookSignature('whsec_abc', body, 1_700_000_000);
      expect(verify('whsec_abc', header, body, now)).toBe(true);
      expect(verify('whsec_abd', header, body, now)).toBe(false);
      expect(verify('whsec_abc', header, `${body} `, now)).toBe(false);
      expect(verify('whsec_abc', header, body, now + 300_000)).toBe(false);
      expect(verify('whsec_abc', undefined, body, now)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('webhookUrlProblem', () => {
  it('accepts https, refuses http, credentials and what is not a URL', () => {
    expect(webhookUrlProblem('https://crm.example.com/hooks?x=1')).toBeUndefined();
    expect(webhookUrlProblem('http://crm.example.com/hooks')).toMatch(/must be https/);
    expect(webhookUrlProblem('https://user:pw@crm.example.com/')).toMatch(/credentials/);
    expect(webhookUrlProblem('crm.example.com/hooks')).toMatch(/not an absolute URL/);
  });

  it('accepts http://127.0.0.1:<port> only when the local system allows it', () => {
    expect(webhookUrlProblem('http://127.0.0.1:9000/hooks')).toMatch(/must be https/);
    const local = LOCAL_WEBHOOK_URL_RULES;
    expect(webhookUrlProblem('http://127.0.0.1:9000/hooks', local)).toBeUndefined();
    expect(webhookUrlProblem('http://127.0.0.1/hooks', local)).toMatch(/127\.0\.0\.1:<port>/);
    expect(webhookUrlProblem('http://localhost:9000/hooks', local)).toMatch(/must be https/);
    expect(webhookUrlProblem('http://10.0.0.1:9000/hooks', local)).toMatch(/must be https/);
  });
});

describe('recordWriteNotices', () => {
  const now = new Date('2026-11-23T16:06:00Z');

  it('a first log is call.completed; the same record again publishes the same id', () => {
    const [notice] = recordWriteNotices(ITEM, undefined, now);
    expect(notice).toEqual({
      id: expect.stringMatching(/^evt_[0-9a-f]{32}$/),
      type: 'call.completed',
      createdAt: now.toISOString(),
      contactId: 'c-1',
    });
    expect(recordWriteNotices(ITEM, undefined, new Date())[0]?.id).toBe(notice?.id);
  });

  it('a later record is call.updated with the view fields it changed, lead fields kept', () => {
    const previous = { ...ITEM, leadStatus: 'rented' as const };
    const later = { ...ITEM, lastUpdate: '2026-11-23T16:09:00.000Z', endedAt: ITEM.lastUpdate };
    const [notice] = recordWriteNotices(later, previous, now);
    expect(notice).toMatchObject({ type: 'call.updated', changedFields: ['endedAt'] });
    expect(recordWriteNotices({ ...ITEM, lastUpdate: later.lastUpdate }, ITEM, now)).toEqual([]);
  });

  it('a message stored for the first time is voicemail.received', () => {
    const left = { ...ITEM, outcome: 'voicemail' as const, voicemailKey: 'voicemail/c-1.wav' };
    expect(recordWriteNotices(left, undefined, now).map((n) => n.type)).toEqual([
      'call.completed',
      'voicemail.received',
    ]);
    expect(recordWriteNotices(left, left, now)).toEqual([]);
  });
});

describe('the retry schedule', () => {
  it('retries first within 30 s, then backs off over at least 24 h, no step over 12 h', () => {
    expect(retryDelaySeconds(1)).toBeLessThanOrEqual(30);
    const total = WEBHOOK_RETRY_DELAYS_SECONDS.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(86_400);
    expect(Math.max(...WEBHOOK_RETRY_DELAYS_SECONDS)).toBeLessThanOrEqual(43_200);
    expect(retryDelaySeconds(WEBHOOK_MAX_ATTEMPTS)).toBeUndefined();
  });
});

/** A store in memory, recording attempts. */
const memoryStore = (webhooks: StoredWebhook[]): WebhookStore & { attempts: DeliveryAttempt[] } => {
  const attempts: DeliveryAttempt[] = [];
  return {
    attempts,
    put: async (w) => void webhooks.push(w),
    get: async (id) => webhooks.find((w) => w.id === id),
    list: async () => [...webhooks],
    remove: async () => true,
    recordAttempt: async (_id, attempt) => void attempts.push(attempt),
    recentAttempts: async () => [...attempts].reverse(),
  };
};

const HOOK: StoredWebhook = {
  id: 'wh_1',
  url: 'https://crm.example.com/hooks',
  events: ['call.completed'],
  secret: 'whsec_abc',
  createdAt: '2026-11-01T00:00:00.000Z',
};

describe('the webhook delivery', () => {
  const notice = callEventNotice('call.completed', 'c-1', ITEM.lastUpdate, new Date());

  it('fans out only to subscriptions that chose the event type', async () => {
    const store = memoryStore([HOOK, { ...HOOK, id: 'wh_2', events: ['call.updated'] }]);
    const delivery = createWebhookDelivery({
      store,
      calls: { get: async () => detail() },
      post: vi.fn(),
      log: () => {},
    });
    const tasks = await delivery.fanOut(notice);
    expect(tasks.map((t) => t.subscriptionId)).toEqual(['wh_1']);
    expect(tasks[0]?.event).toEqual({
      id: notice.id,
      type: 'call.completed',
      createdAt: notice.createdAt,
      data: detail(),
    });
    const gone = createWebhookDelivery({
      store,
      calls: {
        get: async () => {
          throw new NotFoundError('no call');
        },
      },
      post: vi.fn(),
      log: () => {},
    });
    expect(await gone.fanOut(notice)).toEqual([]);
  });

  it('signs each attempt, sends the same event id and body, and says when to retry', async () => {
    const store = memoryStore([HOOK]);
    const sent: { body: string; headers: Record<string, string> }[] = [];
    const answers = [500, 200];
    let clock = 1_700_000_000_000;
    const delivery = createWebhookDelivery({
      store,
      calls: { get: async () => detail() },
      post: async (_url, body, headers) => {
        sent.push({ body, headers: { ...headers } });
        return { status: answers.shift() ?? 200 };
      },
      now: () => clock,
      log: () => {},
    });
    const [task] = await delivery.fanOut(notice);
    if (!task) throw new Error('no task');
    expect(await delivery.deliver(task, 1)).toEqual({
      outcome: 'retry',
      afterSeconds: 20,
      reason: 'the receiver answered 500',
    });
    clock += 20_000;
    expect(await delivery.deliver(task, 2)).toEqual({ outcome: 'delivered' });
    expect(sent[1]?.body).toBe(sent[0]?.body);
    expect(JSON.parse(sent[0]?.body ?? '').id).toBe(notice.id);
    expect(sent[1]?.headers).toEqual({
      'Content-Type': 'application/json',
      'Call-Tracking-Event': 'call.completed',
      'Call-Tracking-Signature': webhookSignature('whsec_abc', sent[1]?.body ?? '', 1_700_000_020),
    });
    expect(store.attempts.map((a) => [a.attempt, a.status, a.ok])).toEqual([
      [1, 500, false],
      [2, 200, true],
    ]);
  });

  it('a receiver that does not answer fails the attempt; the last one is a dead letter', async () => {
    const delivery = createWebhookDelivery({
      store: memoryStore([HOOK]),
      calls: { get: async () => detail() },
      post: async () => {
        throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
      },
      log: () => {},
    });
    const [task] = await delivery.fanOut(notice);
    if (!task) throw new Error('no task');
    expect(await delivery.deliver(task, WEBHOOK_MAX_ATTEMPTS)).toEqual({
      outcome: 'dead',
      reason: expect.stringMatching(/^no answer: .*timeout/),
    });
  });
});

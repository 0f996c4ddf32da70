import { createServer, type IncomingMessage, type Server } from 'node:http';
import {
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { createWebhookStore } from '../lambdas/adapters/dynamodb/webhook-store.js';
import { describeError } from '../lambdas/adapters/error-reason.js';
import { createWebhookPost, type PostWebhook } from '../lambdas/adapters/http/webhook-post.js';
import type { Log } from '../lambdas/adapters/json-log.js';
import type {
  CallEventNotice,
  DeliveryTask,
  PublishCallEvents,
  WebhookUrlRules,
} from '../lambdas/domain/webhook-event.js';
import { callDetailsOn } from '../lambdas/handlers/api-routes.js';
import { createWebhookDelivery } from '../lambdas/use-cases/webhook-delivery.js';
import { listenOnLoopback } from './listen.js';

/**
 * The webhook fan-out of the local system: what EventBridge, the SQS queue and the delivery
 * function do deployed, in process, with the same use case (use-cases/webhook-delivery.ts): a
 * notice becomes a task per subscriber, each delivered for real over HTTP and retried on the
 * deployed schedule (scaled by `retryScale`), then kept as a dead letter in the call log table
 * (`pk = WEBHOOK_DEAD`) until `npm run replay-webhooks` redelivers it.
 *
 * Other processes (`npm run call`, import-records into a running `npm start`) publish through the
 * bus endpoint, `POST <busUrl>/events` with a JSON list of notices, the local PutEvents.
 * Deliveries pending when the system stops are lost (deployed, SQS keeps them).
 */

export interface LocalWebhooksOptions {
  readonly dynamo: DynamoDBClient;
  readonly callLogTableName: string;
  readonly s3: S3Client;
  readonly recordingsBucket: string;
  /** Multiplies every retry delay: 1 is the deployed schedule (first retry after 20 s). @default 1 */
  readonly retryScale?: number;
  /** @default a real POST with the deployed 10 s timeout */
  readonly post?: PostWebhook;
  /** @default quiet */
  readonly log?: Log;
}

export interface LocalWebhooks {
  /** In-process publishing (the API, the local pipeline). */
  readonly publish: PublishCallEvents;
  /** `http://127.0.0.1:<port>`: other processes' PutEvents. */
  readonly busUrl: string;
  /** Redelivers every dead letter (a fresh schedule each); answers how many. */
  replayDeadLetters(): Promise<number>;
  /** Stops the bus and drops the deliveries still waiting. */
  close(): Promise<void>;
}

const DEAD_LETTER_PK = 'WEBHOOK_DEAD';

/** The local system's setting: receivers on this machine, over plain HTTP, are accepted too. */
export const LOCAL_WEBHOOK_URL_RULES: WebhookUrlRules = {
  alsoAllowed: {
    test: (url) => url.protocol === 'http:' && url.hostname === '127.0.0.1' && url.port !== '',
    description: 'http://127.0.0.1:<port> (the local system only)',
  },
};

const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

export const startLocalWebhooks = async (options: LocalWebhooksOptions): Promise<LocalWebhooks> => {
  const { dynamo, callLogTableName: tableName, retryScale = 1, log = () => {} } = options;
  const delivery = createWebhookDelivery({
    store: createWebhookStore(dynamo, tableName),
    calls: callDetailsOn({
      dynamo,
      callLogTableName: tableName,
      s3: options.s3,
      recordingsBucket: options.recordingsBucket,
    }),
    post: options.post ?? createWebhookPost(),
    log,
  });
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  const keepDead = async (task: DeliveryTask, reason: string): Promise<void> => {
    const at = new Date().toISOString();
    await dynamo.send(
      new PutItemCommand({
        TableName: tableName,
        Item: marshall({
          pk: DEAD_LETTER_PK,
          sk: `${at}#${task.event.id}#${task.subscriptionId}`,
          task: JSON.stringify(task),
          reason,
        }),
      }),
    );
  };

  const attempt = async (task: DeliveryTask, number: number): Promise<void> => {
    const result = await delivery.deliver(task, number);
    if (result.outcome === 'retry') schedule(task, number + 1, result.afterSeconds * 1000);
    if (result.outcome === 'dead') await keepDead(task, result.reason);
  };

  // The queue's visibility timeout: the task comes back after the delay, with its count.
  const schedule = (task: DeliveryTask, number: number, delayMs: number): void => {
    if (closed) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      attempt(task, number).catch((error: unknown) => {
        // The attempt could not even be recorded (DynamoDB gone): tried again as SQS would.
        log('error', { message: 'webhook attempt failed', reason: describeError(error) });
        schedule(task, number, 1000);
      });
    }, delayMs * retryScale);
    timers.add(timer);
  };

  const publish: PublishCallEvents = async (notices) => {
    for (const notice of notices) {
      for (const task of await delivery.fanOut(notice)) schedule(task, 1, 0);
    }
  };

  const replayDeadLetters = async (): Promise<number> => {
    const output = await dynamo.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: DEAD_LETTER_PK } },
      }),
    );
    const letters = (output.Items ?? []).map((item) => unmarshall(item));
    for (const letter of letters) {
      await dynamo.send(
        new DeleteItemCommand({
          TableName: tableName,
          Key: marshall({ pk: DEAD_LETTER_PK, sk: letter.sk }),
        }),
      );
      schedule(JSON.parse(String(letter.task)) as DeliveryTask, 1, 0);
    }
    return letters.length;
  };

  const server: Server = createServer((request, response) => {
    const answer = (status: number, body: unknown) => {
      response.writeHead(status, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    const handle = async () => {
      if (request.method === 'POST' && request.url === '/events') {
        const notices = JSON.parse(await readBody(request)) as CallEventNotice[];
        await publish(notices);
        return answer(202, { accepted: notices.length });
      }
      if (request.method === 'POST' && request.url === '/dead-letters/replay') {
        return answer(200, { replayed: await replayDeadLetters() });
      }
      return answer(404, { error: 'POST /events or /dead-letters/replay' });
    };
    handle().catch((error: unknown) => answer(500, { error: describeError(error) }));
  });
  const busUrl = await listenOnLoopback(server);

  return {
    publish,
    busUrl,
    replayDeadLetters,
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

/** A running system's PutEvents, from another process. */
export const publishToBus =
  (busUrl: string): PublishCallEvents =>
  async (notices) => {
    const response = await fetch(`${busUrl}/events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(notices),
    });
    if (!response.ok) throw new Error(`the local event bus answered ${response.status}`);
  };

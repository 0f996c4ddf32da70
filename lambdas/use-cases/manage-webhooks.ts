import { randomBytes } from 'node:crypto';
import type { DeliveryAttempt, WebhookStore } from '../adapters/dynamodb/webhook-store.js';
import { InvalidRequestError, NotFoundError } from '../domain/request-errors.js';
import {
  isWebhookId,
  type StoredWebhook,
  UnacceptableWebhookUrlError,
  type WebhookSubscription,
  type WebhookUrlRules,
  webhookRegistrationProblems,
  webhookUrlProblem,
} from '../domain/webhook-event.js';

/** The webhook admin routes: register (the secret shown once), list, delete, recent deliveries. */

/** Attempts GET /webhooks/{id}/deliveries answers with, the newest first. */
export const RECENT_DELIVERIES = 50;

export interface ManageWebhooks {
  /** InvalidRequestError for a bad body, UnacceptableWebhookUrlError (422) for a URL refused. */
  register(body: unknown): Promise<StoredWebhook>;
  list(): Promise<WebhookSubscription[]>;
  /** NotFoundError when there is none. */
  remove(id: string): Promise<void>;
  /** NotFoundError when there is no such subscription. */
  deliveries(id: string): Promise<DeliveryAttempt[]>;
}

export interface ManageWebhooksDependencies {
  readonly store: WebhookStore;
  readonly urlRules?: WebhookUrlRules;
  /** @default () => new Date() */
  readonly clock?: () => Date;
}

const noWebhook = (id: string) =>
  new NotFoundError(`no webhook with id ${id.length > 80 ? `${id.slice(0, 80)}…` : id}`);

/** What a subscription shows after its creation: everything but the secret. */
const shown = ({ secret: _secret, ...subscription }: StoredWebhook): WebhookSubscription =>
  subscription;

export const createManageWebhooks = ({
  store,
  urlRules = {},
  clock = () => new Date(),
}: ManageWebhooksDependencies): ManageWebhooks => ({
  async register(body) {
    const { problems, registration } = webhookRegistrationProblems(body);
    if (!registration) throw new InvalidRequestError('body', problems);
    const urlProblem = webhookUrlProblem(registration.url, urlRules);
    if (urlProblem) throw new UnacceptableWebhookUrlError(urlProblem);
    const webhook: StoredWebhook = {
      id: `wh_${randomBytes(9).toString('base64url')}`,
      url: registration.url,
      events: registration.events,
      secret: `whsec_${randomBytes(24).toString('base64url')}`,
      createdAt: clock().toISOString(),
    };
    await store.put(webhook);
    return webhook;
  },

  async list() {
    return (await store.list()).map(shown);
  },

  async remove(id) {
    // An id of another shape names none, and may not even fit in a key (DynamoDB refuses it).
    if (!isWebhookId(id) || !(await store.remove(id))) throw noWebhook(id);
  },

  async deliveries(id) {
    if (!isWebhookId(id) || !(await store.get(id))) throw noWebhook(id);
    return store.recentAttempts(id, RECENT_DELIVERIES);
  },
});

import { ApiError, type ApiRequest, type RouteHandler } from '../adapters/http/api-contract.js';
import type { ManageWebhooks } from '../use-cases/manage-webhooks.js';

/** The webhook routes (use-cases/manage-webhooks.ts). */

export type WebhooksOperation =
  | 'registerWebhook'
  | 'listWebhooks'
  | 'deleteWebhook'
  | 'listWebhookDeliveries';

const idOf = (request: ApiRequest): string => {
  const id = request.pathParameters.id;
  if (!id) throw new ApiError(400, 'invalid-path', 'the path names no webhook id');
  return id;
};

export const createWebhooksHandlers = (
  webhooks: ManageWebhooks,
): Readonly<Record<WebhooksOperation, RouteHandler>> => ({
  async registerWebhook(request) {
    // The only answer that shows the secret.
    return { statusCode: 201, body: await webhooks.register(request.body) };
  },
  async listWebhooks() {
    return { statusCode: 200, body: { items: await webhooks.list() } };
  },
  async deleteWebhook(request) {
    await webhooks.remove(idOf(request));
    return { statusCode: 204 };
  },
  async listWebhookDeliveries(request) {
    return { statusCode: 200, body: { items: await webhooks.deliveries(idOf(request)) } };
  },
});

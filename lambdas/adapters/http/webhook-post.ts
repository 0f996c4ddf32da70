import { WEBHOOK_TIMEOUT_MS } from '../../domain/webhook-event.js';

/**
 * One webhook POST over the network: the receiver's status, or a rejection when it does not
 * answer in time (10 s) or cannot be reached. Redirects are not followed: a 3xx is a failure like
 * any other non-2xx, so a delivery never lands where the subscription did not say.
 */
export type PostWebhook = (
  url: string,
  body: string,
  headers: Readonly<Record<string, string>>,
) => Promise<{ readonly status: number }>;

export const createWebhookPost =
  (timeoutMs: number = WEBHOOK_TIMEOUT_MS): PostWebhook =>
  async (url, body, headers) => {
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    // The answer's body is not read: only its status counts.
    await response.body?.cancel();
    return { status: response.status };
  };

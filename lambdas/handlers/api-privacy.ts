import type { RouteHandler } from '../adapters/http/api-contract.js';
import type { EraseCaller } from '../use-cases/erase-caller.js';

/** The privacy routes (use-cases/erase-caller.ts). */

export type PrivacyOperation = 'eraseCaller' | 'listErasures';

export const createPrivacyHandlers = (
  erasures: EraseCaller,
): Readonly<Record<PrivacyOperation, RouteHandler>> => ({
  async eraseCaller(request) {
    const caller =
      typeof request.body === 'object' && request.body !== null
        ? (request.body as Record<string, unknown>).caller
        : undefined;
    return { statusCode: 200, body: await erasures.erase({ caller, by: request.principal }) };
  },
  async listErasures() {
    return { statusCode: 200, body: { items: await erasures.list() } };
  },
});

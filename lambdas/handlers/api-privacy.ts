import type { RouteHandler } from '../adapters/http/api-contract.js';
import { InvalidRequestError } from '../domain/request-errors.js';
import type { EraseCaller } from '../use-cases/erase-caller.js';

/** The privacy routes (use-cases/erase-caller.ts). */

export type PrivacyOperation = 'eraseCaller' | 'listErasures';

export const createPrivacyHandlers = (
  erasures: EraseCaller,
): Readonly<Record<PrivacyOperation, RouteHandler>> => ({
  async eraseCaller(request) {
    const { body } = request;
    const caller =
      typeof body === 'object' && body !== null && !Array.isArray(body)
        ? (body as Record<string, unknown>).caller
        : undefined;
    const unknown =
      caller === undefined ? [] : Object.keys(body as object).filter((k) => k !== 'caller');
    if (unknown.length > 0) {
      throw new InvalidRequestError('body', [
        `unknown field ${unknown.map((k) => `"${k}"`).join(', ')}: the body is { "caller": "+1…" } only`,
      ]);
    }
    return { statusCode: 200, body: await erasures.erase({ caller, by: request.principal }) };
  },
  async listErasures() {
    return { statusCode: 200, body: { items: await erasures.list() } };
  },
});

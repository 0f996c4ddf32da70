import {
  ConflictError,
  ForeignPositionError,
  InvalidRequestError,
  NotDeployedError,
  NotFoundError,
  RoutingLoopError,
} from '../../domain/request-errors.js';
import { UnacceptableWebhookUrlError } from '../../domain/webhook-event.js';
import { ApiError } from './api-contract.js';
import { invalidCursor } from './cursor.js';

/**
 * The ApiError a refusal answers as: an ApiError as it is, each domain refusal
 * (domain/request-errors.ts) with its status and code; undefined for any other error (a fault,
 * not a refusal).
 */
export const apiErrorOf = (error: unknown): ApiError | undefined => {
  if (error instanceof ApiError) return error;
  if (error instanceof InvalidRequestError) {
    return new ApiError(400, `invalid-${error.part}`, error.message, error.problems);
  }
  if (error instanceof NotFoundError) return new ApiError(404, 'not-found', error.message);
  if (error instanceof ConflictError) {
    return new ApiError(409, error.reason, error.message, error.problems);
  }
  if (error instanceof RoutingLoopError) {
    return new ApiError(422, 'routing-loop', error.message, error.loops);
  }
  if (error instanceof UnacceptableWebhookUrlError) {
    return new ApiError(422, 'unacceptable-url', error.message);
  }
  if (error instanceof NotDeployedError) return new ApiError(503, 'not-deployed', error.message);
  if (error instanceof ForeignPositionError) return invalidCursor('not a cursor of this list');
  return undefined;
};

import { describe, expect, it } from 'vitest';
import { ApiError, errorBody } from '../../lambdas/adapters/http/api-contract.js';
import { apiErrorOf } from '../../lambdas/adapters/http/refusals.js';
import {
  ConflictError,
  ForeignPositionError,
  InvalidRequestError,
  invalidResource,
  NotDeployedError,
  NotFoundError,
  RoutingLoopError,
} from '../../lambdas/domain/request-errors.js';

/** The error body the API answers `error` with; undefined when it is no refusal. */
const bodyOf = (error: unknown) => {
  const answer = apiErrorOf(error);
  return answer && { status: answer.status, ...errorBody(answer), headers: answer.headers };
};

describe('apiErrorOf: the HTTP answer of each refusal', () => {
  it('passes an ApiError through unchanged', () => {
    const error = new ApiError(405, 'method-not-allowed', 'use GET', undefined, { allow: 'GET' });
    expect(apiErrorOf(error)).toBe(error);
  });

  it('answers an invalid request 400 invalid-<part>, one problem as the message', () => {
    expect(bodyOf(new InvalidRequestError('query', ['limit: "0" is too small']))).toEqual({
      status: 400,
      error: {
        status: 400,
        code: 'invalid-query',
        message: 'limit: "0" is too small',
        problems: ['limit: "0" is too small'],
      },
      headers: undefined,
    });
    expect(bodyOf(new InvalidRequestError('body', ['a', 'b']))?.error).toEqual({
      status: 400,
      code: 'invalid-body',
      message: '2 problems: a; b',
      problems: ['a', 'b'],
    });
    expect(
      bodyOf(invalidResource('path', 'the id is not valid', ['id "X" is bad']))?.error,
    ).toEqual({
      status: 400,
      code: 'invalid-path',
      message: 'the id is not valid: fix each problem listed and send it again',
      problems: ['id "X" is bad'],
    });
  });

  it('answers not found 404, conflicts 409 with their reason, loops 422, no catalog 503', () => {
    expect(bodyOf(new NotFoundError('there is no location x'))?.error).toEqual({
      status: 404,
      code: 'not-found',
      message: 'there is no location x',
    });
    expect(bodyOf(new ConflictError('in-use', 'still used', ['n1 routes to x']))?.error).toEqual({
      status: 409,
      code: 'in-use',
      message: 'still used',
      problems: ['n1 routes to x'],
    });
    expect(bodyOf(new ConflictError('catalog-full', 'full'))?.error).toEqual({
      status: 409,
      code: 'catalog-full',
      message: 'full',
    });
    expect(bodyOf(new RoutingLoopError(['loop']))?.error).toMatchObject({
      status: 422,
      code: 'routing-loop',
      problems: ['loop'],
    });
    expect(bodyOf(new NotDeployedError())).toEqual({
      status: 503,
      error: {
        status: 503,
        code: 'not-deployed',
        message:
          'the routing table holds no portfolio catalog yet: deploy the stack (or start the local system) first',
      },
      headers: undefined,
    });
  });

  it('answers a page position of another list as an invalid cursor', () => {
    expect(bodyOf(new ForeignPositionError())?.error).toMatchObject({
      status: 400,
      code: 'invalid-cursor',
      message: expect.stringMatching(/^invalid cursor: not a cursor of this list; start again/),
    });
  });

  it('leaves any other error to the fault handling (503 or 500)', () => {
    expect(apiErrorOf(new TypeError('boom'))).toBeUndefined();
    expect(apiErrorOf('a string')).toBeUndefined();
  });
});

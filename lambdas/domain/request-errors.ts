/**
 * Why the domain refuses a request, without knowing how it arrived: the HTTP adapter
 * (adapters/http/refusals.ts) answers each with its status and error code. Messages say what is
 * wrong and what to do; they reach the caller unchanged.
 */

/** The part of a request a problem is in. */
export type RequestPart = 'query' | 'body' | 'path';

/** One problem as the message; several as their count and every one. */
export const summarizeProblems = (problems: readonly string[]): string =>
  problems.length === 1
    ? (problems[0] as string)
    : `${problems.length} problems: ${problems.join('; ')}`;

/** A request the rules refuse: each bad parameter or field is one of `problems`. */
export class InvalidRequestError extends Error {
  constructor(
    readonly part: RequestPart,
    readonly problems: readonly string[],
    message = summarizeProblems(problems),
  ) {
    super(message);
    this.name = 'InvalidRequestError';
  }
}

/** A refusal of a resource or a change: `what` is wrong, each of `problems` says why. */
export const invalidResource = (
  part: RequestPart,
  what: string,
  problems: readonly string[],
): InvalidRequestError =>
  new InvalidRequestError(part, problems, `${what}: fix each problem listed and send it again`);

/** What the request names does not exist. */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/**
 * Why a change contradicts what is stored: the portfolio file declares the entry, other entries
 * still use it, the catalog is full, or other writes kept winning the race.
 */
export type ConflictReason = 'declared-in-portfolio' | 'in-use' | 'catalog-full' | 'conflict';

export class ConflictError extends Error {
  constructor(
    readonly reason: ConflictReason,
    message: string,
    readonly problems?: readonly string[],
  ) {
    super(message);
    this.name = 'ConflictError';
  }
}

/** The change would make calls ring the system itself in an endless loop; `loops` say where. */
export class RoutingLoopError extends Error {
  constructor(readonly loops: readonly string[]) {
    super('the change would make calls ring the system itself in an endless loop');
    this.name = 'RoutingLoopError';
  }
}

/** The routing table holds no portfolio catalog yet: nothing has been deployed. */
export class NotDeployedError extends Error {
  constructor() {
    super(
      'the routing table holds no portfolio catalog yet: deploy the stack (or start the local system) first',
    );
    this.name = 'NotDeployedError';
  }
}

/** A page position that is not one of the list asked for (a cursor of another list). */
export class ForeignPositionError extends Error {
  constructor() {
    super('the page position belongs to another list');
    this.name = 'ForeignPositionError';
  }
}

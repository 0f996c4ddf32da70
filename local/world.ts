import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createCallerHistory } from '../lambdas/adapters/dynamodb/caller-history-reader.js';
import {
  createRoutingClient,
  createRoutingLookup,
  routingTimeouts,
} from '../lambdas/adapters/dynamodb/routing-table-reader.js';
import { DEFAULT_ROUTE_BUDGET_MS } from '../lambdas/contracts/environment.js';
import type { ContactRecordingPort } from '../lambdas/domain/contact-recording.js';
import { own } from '../lambdas/domain/own.js';
import {
  createPreviewWorld,
  type FlowFunction,
  type HandOverAnswers,
} from '../lambdas/flow/preview-world.js';
import type {
  AgentStaffing,
  LambdaOutcome,
  QueueBehaviour,
  SimulatedWorld,
  ThirdPartyBehaviour,
} from '../lambdas/flow/simulator/types.js';
import {
  recordingControlFunction,
  routeCallFunction,
} from '../lambdas/use-cases/flow-functions.js';
import {
  LOCAL_AWS,
  LOCAL_RECORDING_CONTROL_ARN,
  LOCAL_ROUTE_CALL_ARN,
  LOCAL_ROUTING_TABLE_NAME,
  localQueueArn,
} from './names.js';
import { type SilentServer, startSilentServer } from './silent-server.js';

/**
 * The world around a local call: the two functions the inbound flow invokes, and the people and
 * queues it hands the caller to. It is the route preview's world (lambdas/flow/preview-world.ts),
 * with fault modes, given functions, hours and a record of everything on top. route-call is the
 * real use case reading the local routing table; recording-control is the real use case over a
 * stand-in for Amazon Connect that only records what it was asked to do.
 */

/** How route-call behaves: for real, failing as an invocation, or over a DynamoDB that hangs. */
export type RouteCallMode = 'real' | 'fail' | 'dynamodb-hangs';

/** How recording-control's call to Connect goes. */
export type RecordingControlMode = 'succeed' | 'fail';

/** The hours a CheckHoursOfOperation block asks about: its own, else its target queue's. */
export interface HoursQuery {
  readonly hoursOfOperationId?: string;
  readonly queueArn?: string;
}

/**
 * How CheckHoursOfOperation answers: every hours of operation open, every one closed, or decided
 * per check (e.g. from the portfolio's hours of the dialed number's location).
 */
export type HoursMode = 'open' | 'closed' | ((hours: HoursQuery, at: Date) => boolean);

/**
 * The answer of a function that is not one of the local ones (e.g. one an exported flow invokes):
 * `fail`, an invocation error, or the object it returns (the simulator checks it against the
 * block's ResponseType, as Connect does).
 */
export type GivenLambdaAnswer = 'fail' | Readonly<Record<string, unknown>>;

export interface LocalWorldOptions extends HandOverAnswers {
  /** Per-queue behaviour, by queue ARN or portfolio queue id, over `queue`. */
  readonly queues?: Readonly<Record<string, QueueBehaviour>>;
  /** @default 'real' */
  readonly routeCall?: RouteCallMode;
  /** @default 'succeed' */
  readonly recordingControl?: RecordingControlMode;
  /** route-call's clock (open/closed), epoch ms: the simulated call's time. @default Date.now */
  readonly now?: () => number;
  /** route-call's lookup budget. @default DEFAULT_ROUTE_BUDGET_MS (1500) */
  readonly budgetMs?: number;
  /**
   * How long close() waits for functions still running (past their block's time limit, which
   * the simulator enforces) before it closes anyway. @default CLOSE_GRACE_MS (2000)
   */
  readonly closeGraceMs?: number;
  /** How CheckHoursOfOperation answers. @default 'open' */
  readonly hours?: HoursMode;
  /**
   * Answers of other functions, by ARN. A function that is neither local nor given here answers
   * with an error: the flow takes the block's Error branch. @default {}
   */
  readonly lambdas?: Readonly<Record<string, GivenLambdaAnswer>>;
  /**
   * Flow documents by ARN, for the event hooks the inbound flow sets (the customer queue flow the
   * simulator runs while a caller waits). @default {} (a queued caller waits to the bound)
   */
  readonly flows?: Readonly<Record<string, unknown>>;
}

/** Where the world finds the routing table, and which numbers are ring-to lines. */
export interface LocalWorldContext {
  /** The local DynamoDB endpoint, `http://127.0.0.1:<port>`. */
  readonly dynamoEndpoint: string;
  /** @default LOCAL_ROUTING_TABLE_NAME */
  readonly tableName?: string;
  /** Every location's ring-to number: `ringTo` applies to these. */
  readonly ringToNumbers: Iterable<string>;
  /**
   * The call log in the same DynamoDB, where route-call reads whether the caller called before;
   * without it (an offline call) route-call answers `firstTimeCaller: unknown`.
   */
  readonly callLogTableName?: string;
}

/** `given`: a function answered by LocalWorldOptions.lambdas; `unknown`: no such function. */
export type LocalFunctionName = 'route-call' | 'recording-control' | 'given' | 'unknown';

/** One Lambda invocation as the world saw it, in the order the flow invoked them. */
export interface LocalInvocation {
  readonly functionName: LocalFunctionName;
  readonly arn: string;
  readonly parameters: Readonly<Record<string, string>>;
  /** The block's InvocationTimeLimitSeconds: the simulator, not the world, holds the run to it. */
  readonly timeLimitSeconds: number;
  /**
   * What the function gave back, as it gave it (a run past its time limit still answers here, but
   * the flow took its Error branch). Undefined: it was still running when the world closed.
   */
  readonly outcome: LambdaOutcome | undefined;
  /** Real time from invocation to outcome; undefined while it runs. */
  readonly elapsedMs: number | undefined;
  /** What the function logged (route-call's and recording-control's JSON lines). */
  readonly logs: readonly string[];
}

/** What close() found: the invocations still running once its grace ran out. */
export interface LocalWorldClosed {
  readonly stillRunning: readonly LocalInvocation[];
}

/** How long close() waits for functions still running. */
export const CLOSE_GRACE_MS = 2_000;

/** What recording-control asked Connect to do. */
export interface RecordingRequestSeen {
  readonly command: string;
  readonly contactId: string;
  readonly instanceId: string;
  readonly contactRecordingType: string;
  readonly succeeded: boolean;
}

export interface TransferSeen {
  readonly number: string;
  readonly timeoutSeconds: number;
  readonly behaviour: ThirdPartyBehaviour;
}

export interface QueueHandOverSeen {
  readonly queueArn: string;
  readonly behaviour: QueueBehaviour;
}

/** One staffing question (CheckMetricData, or a call handed to the queue) as the world answered it. */
export interface StaffingSeen {
  readonly queueArn: string;
  readonly agents: AgentStaffing;
}

/** One CheckHoursOfOperation as the world answered it. */
export interface HoursCheckSeen extends HoursQuery {
  readonly at: Date;
  readonly open: boolean;
}

export interface LocalWorld extends SimulatedWorld {
  readonly invocations: readonly LocalInvocation[];
  readonly hoursChecks: readonly HoursCheckSeen[];
  readonly recordingRequests: readonly RecordingRequestSeen[];
  readonly transfers: readonly TransferSeen[];
  readonly queueHandOvers: readonly QueueHandOverSeen[];
  readonly staffingChecks: readonly StaffingSeen[];
  /**
   * Waits at most `closeGraceMs` for functions still running (past their time limit), then
   * destroys route-call's client and stops the hanging server, if any; says which were still
   * running. Safe to call more than once.
   */
  close(): Promise<LocalWorldClosed>;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** route-call in fault mode `fail`: the invocation errors. */
const failedRouteCall: FlowFunction = async () => ({
  kind: 'error',
  reason: 'route-call failed (simulated fault: the invocation errored)',
});

/** The queues option by queue ARN: a portfolio queue id stands for its local ARN, an ARN wins. */
const queuesByArn = (
  queues: Readonly<Record<string, QueueBehaviour>>,
): Record<string, QueueBehaviour> => ({
  ...Object.fromEntries(
    Object.entries(queues).map(([id, behaviour]) => [localQueueArn(id), behaviour]),
  ),
  ...queues,
});

/** Builds a local world; `close()` it when the call is over. */
export const createLocalWorld = async (
  context: LocalWorldContext,
  options: LocalWorldOptions = {},
): Promise<LocalWorld> => {
  const {
    ringTo = 'answer',
    otherNumbers = 'answer',
    numbers = {},
    queue = 'queued',
    queues = {},
    agents = 'available',
    routeCall = 'real',
    recordingControl = 'succeed',
    now = Date.now,
    budgetMs = DEFAULT_ROUTE_BUDGET_MS,
    closeGraceMs = CLOSE_GRACE_MS,
    hours = 'open',
    lambdas = {},
    flows = {},
  } = options;
  for (const arn of [LOCAL_ROUTE_CALL_ARN, LOCAL_RECORDING_CONTROL_ARN]) {
    if (Object.hasOwn(lambdas, arn)) {
      throw new Error(`${arn} is a local function: its behaviour is set by its own option`);
    }
  }
  const hoursChecks: HoursCheckSeen[] = [];
  let closed: Promise<LocalWorldClosed> | undefined;
  const abandoned = new Set<LocalInvocation>();
  const invocations: LocalInvocation[] = [];
  const recordingRequests: RecordingRequestSeen[] = [];
  const transfers: TransferSeen[] = [];
  const queueHandOvers: QueueHandOverSeen[] = [];
  const staffingChecks: StaffingSeen[] = [];
  /** Runs not over yet, with their invocation. */
  const pending = new Map<Promise<unknown>, LocalInvocation>();

  let silent: SilentServer | undefined;
  let client: DynamoDBClient | undefined;
  let realRouteCall: FlowFunction = failedRouteCall;
  if (routeCall !== 'fail') {
    silent = routeCall === 'dynamodb-hangs' ? await startSilentServer() : undefined;
    client = createRoutingClient({
      ...routingTimeouts(budgetMs),
      ...LOCAL_AWS,
      endpoint: silent?.endpoint ?? context.dynamoEndpoint,
    });
    const lookup = createRoutingLookup({
      client,
      tableName: context.tableName ?? LOCAL_ROUTING_TABLE_NAME,
      budgetMs,
    });
    const { callLogTableName } = context;
    realRouteCall = routeCallFunction({
      lookup,
      now,
      ...(callLogTableName === undefined
        ? {}
        : { callerHistory: createCallerHistory({ client, tableName: callLogTableName }) }),
    });
  }

  // The stand-in for Amazon Connect: records the command, and succeeds or refuses.
  const connect: ContactRecordingPort = {
    send: async ({ name, input }) => {
      const succeeded = recordingControl === 'succeed';
      recordingRequests.push({
        command: name,
        contactId: input.ContactId,
        instanceId: input.InstanceId,
        contactRecordingType: input.ContactRecordingType,
        succeeded,
      });
      if (!succeeded) {
        const error = new Error('simulated fault: Connect refused the request');
        error.name = 'InternalServiceException';
        throw error;
      }
    },
  };

  // The preview's world answers the two local functions, transfers and queues; this one records.
  const preview = createPreviewWorld({
    routeCall: realRouteCall,
    recordingControl: recordingControlFunction(connect),
    ringToNumbers: context.ringToNumbers,
    ringTo,
    otherNumbers,
    numbers,
    queue,
    queues: queuesByArn(queues),
    agents,
  });

  const givenFunction = (arn: string, answer: GivenLambdaAnswer): LambdaOutcome =>
    answer === 'fail'
      ? { kind: 'error', reason: `${arn} failed (given: fail)` }
      : { kind: 'ok', result: { ...answer } };

  return {
    invocations,
    hoursChecks,
    recordingRequests,
    transfers,
    queueHandOvers,
    staffingChecks,
    async invokeLambda(arn, event, timeLimitSeconds) {
      const started = performance.now();
      const logs: string[] = [];
      const given = own(lambdas, arn);
      const functionName: LocalFunctionName =
        arn === LOCAL_ROUTE_CALL_ARN
          ? 'route-call'
          : arn === LOCAL_RECORDING_CONTROL_ARN
            ? 'recording-control'
            : given !== undefined
              ? 'given'
              : 'unknown';
      const invocation: Mutable<LocalInvocation> = {
        functionName,
        arn,
        parameters: { ...event.Details.Parameters },
        timeLimitSeconds,
        outcome: undefined,
        elapsedMs: undefined,
        logs,
      };
      invocations.push(invocation);
      const run = (async (): Promise<LambdaOutcome> =>
        given !== undefined
          ? givenFunction(arn, given)
          : preview.invokeFunction(arn, event, (line) => logs.push(line)))();
      // A run past its time limit goes on, as a Lambda does: close() waits for it, a while.
      pending.set(run, invocation);
      const outcome = await run;
      pending.delete(run);
      // A run the world gave up on at close() stays reported as still running.
      if (!abandoned.has(invocation)) {
        invocation.outcome = outcome;
        invocation.elapsedMs = performance.now() - started;
      }
      return outcome;
    },
    thirdParty(number, timeoutSeconds) {
      const behaviour = preview.thirdParty(number, timeoutSeconds);
      transfers.push({ number, timeoutSeconds, behaviour });
      return behaviour;
    },
    isOpen(query, at) {
      const open = typeof hours === 'function' ? hours(query, at) : hours === 'open';
      hoursChecks.push({ ...query, at, open });
      return open;
    },
    queue(queueArn) {
      const behaviour = preview.queue(queueArn);
      queueHandOvers.push({ queueArn, behaviour });
      return behaviour;
    },
    flow(arn) {
      return own(flows, arn);
    },
    agents(queueArn) {
      const answer = preview.agents(queueArn);
      staffingChecks.push({ queueArn, agents: answer });
      return answer;
    },
    close() {
      closed ??= (async () => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const grace = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, closeGraceMs);
        });
        await Promise.race([Promise.allSettled([...pending.keys()]), grace]);
        clearTimeout(timer);
        const stillRunning = [...pending.values()];
        for (const invocation of stillRunning) abandoned.add(invocation);
        // Closing anyway: a run still waiting on route-call's client or the silent server ends now.
        client?.destroy();
        await silent?.close();
        return { stillRunning };
      })();
      return closed;
    },
  };
};

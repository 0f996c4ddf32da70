import { own } from '../domain/own.js';
import { PREVIEW_RECORDING_CONTROL_ARN, PREVIEW_ROUTE_CALL_ARN } from './preview-names.js';
import type {
  AgentStaffing,
  ContactFlowEvent,
  LambdaOutcome,
  QueueBehaviour,
  SimulatedWorld,
  ThirdPartyBehaviour,
} from './simulator/index.js';

/**
 * The world of a route preview: the two functions the inbound flow invokes (under their preview
 * ARNs), the parties it transfers to and the queues it hands over to. It opens no connection and
 * loads nothing: the functions are given, already wired (see use-cases/flow-functions.ts). The
 * local system's world (local/world.ts) is this one with its fault modes and records on top.
 */

/** Where a function's log lines go. */
export type LogSink = (line: string) => void;

/** A function the flow invokes: its outcome for the event Connect would send. */
export type FlowFunction = (event: ContactFlowEvent, log: LogSink) => Promise<LambdaOutcome>;

/**
 * Runs a handler to its end and passes its answer through: the simulator checks it against the
 * block's ResponseType and time limit, as Connect does. A throw is an invocation error.
 */
export const runToEnd = async (
  handler: (event: ContactFlowEvent) => Promise<unknown>,
  event: ContactFlowEvent,
): Promise<LambdaOutcome> => {
  try {
    const value = await handler(event);
    return { kind: 'ok', result: value as Readonly<Record<string, unknown>> };
  } catch (error) {
    return {
      kind: 'error',
      reason: `the function failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    };
  }
};

/** How the people and queues a call is handed to answer (shared with the local world). */
export interface HandOverAnswers {
  /** How a location's ring-to number answers. @default 'answer' */
  readonly ringTo?: ThirdPartyBehaviour;
  /** How any other number answers (fallbacks, payments, the static fallback). @default 'answer' */
  readonly otherNumbers?: ThirdPartyBehaviour;
  /** Per-number behaviour, over both of the above. */
  readonly numbers?: Readonly<Record<string, ThirdPartyBehaviour>>;
  /** How a hand-over to a queue goes. @default 'queued' */
  readonly queue?: QueueBehaviour;
  /** Who staffs every queue: an agent free to answer, all busy, or nobody. @default 'available' */
  readonly agents?: AgentStaffing;
}

export interface PreviewWorldOptions extends HandOverAnswers {
  /** route-call, invoked as PREVIEW_ROUTE_CALL_ARN. */
  readonly routeCall: FlowFunction;
  /** recording-control, invoked as PREVIEW_RECORDING_CONTROL_ARN. */
  readonly recordingControl: FlowFunction;
  /** Every location's ring-to number: `ringTo` applies to these. */
  readonly ringToNumbers: Iterable<string>;
  /** Per-queue behaviour, by queue ARN, over `queue`. */
  readonly queues?: Readonly<Record<string, QueueBehaviour>>;
  /**
   * Functions answer in no simulated time, so the same call gives the same run whatever their
   * real latency. @default false: the wall-clock time they took
   */
  readonly instant?: boolean;
}

export interface PreviewWorld extends SimulatedWorld {
  /** invokeLambda, with the function's log lines passed to `log` (invokeLambda drops them). */
  invokeFunction(arn: string, event: ContactFlowEvent, log: LogSink): Promise<LambdaOutcome>;
  /** Every hours of operation is open. */
  isOpen(): boolean;
  /** Every queue is staffed as the options say. */
  agents(queueArn: string): AgentStaffing;
}

const dropLog: LogSink = () => {};

export const createPreviewWorld = ({
  routeCall,
  recordingControl,
  ringToNumbers,
  ringTo = 'answer',
  otherNumbers = 'answer',
  numbers = {},
  queue = 'queued',
  queues = {},
  agents = 'available',
  instant = false,
}: PreviewWorldOptions): PreviewWorld => {
  const ringTos = new Set(ringToNumbers);
  const invokeFunction = async (
    arn: string,
    event: ContactFlowEvent,
    log: LogSink,
  ): Promise<LambdaOutcome> => {
    const run =
      arn === PREVIEW_ROUTE_CALL_ARN
        ? routeCall
        : arn === PREVIEW_RECORDING_CONTROL_ARN
          ? recordingControl
          : undefined;
    const outcome: LambdaOutcome = run
      ? await run(event, log)
      : {
          kind: 'error',
          reason: `no local function has the ARN ${arn} (local functions: ${PREVIEW_ROUTE_CALL_ARN}, ${PREVIEW_RECORDING_CONTROL_ARN}; give others an answer with the world's lambdas option, --lambda in npm run call)`,
        };
    return instant ? { ...outcome, elapsedMs: 0 } : outcome;
  };
  return {
    invokeFunction,
    invokeLambda: (arn, event) => invokeFunction(arn, event, dropLog),
    thirdParty: (number) =>
      own(numbers, number) ?? (ringTos.has(number) ? ringTo : undefined) ?? otherNumbers,
    queue: (queueArn) => own(queues, queueArn) ?? queue,
    agents: () => agents,
    isOpen: () => true,
  };
};

import type { FlowAction } from '../language/index.js';
import { checkFlow } from './check-flow.js';
import { DEFAULT_INSTANCE_ARN } from './defaults.js';
import { edgesNeverTaken, edgesOfTrace, flowEdges } from './flow-edges.js';
import { simulateCheckedCall } from './simulate-call.js';
import {
  type AgentStaffing,
  type ContactFlowEvent,
  FlowSimulationError,
  type InQueueChoice,
  type LambdaOutcome,
  type QueueBehaviour,
  type SimulatedCall,
  type SimulatedWorld,
  type SimulationResult,
  type ThirdPartyBehaviour,
  type VoicemailChoice,
} from './types.js';

/**
 * Every way a call can go through a flow: drives simulateCall with a world whose every choice is
 * enumerated depth-first. Each run records the choices it made and how many options each had;
 * the next run replays the same choices up to the last one with an option left, takes that option,
 * and the first option of every choice after it. So each path is one distinct choice sequence,
 * explored once, and the enumeration ends when every option of every choice has been taken.
 *
 * The choices:
 * - each Lambda invocation answers with each of the answers given for its ARN (taking the
 *   `elapsedMs` the answer gives, else no time, so that every run is deterministic);
 * - each transfer to a phone number: each ThirdPartyBehaviour; each queue: each QueueBehaviour;
 * - each menu: each key it has a condition for, one key it has none for, and no key at all;
 * - each CheckHoursOfOperation: open, closed;
 * - who staffs each queue: available, busy, none, chosen once per queue and path, so that the
 *   staffing check and the hand-over see the same agents;
 * - Connect's catch-all failure (NoMatchingError) of any other action that has that branch, for at
 *   most `faultsPerPath` actions per path (default 1: single faults, on top of every combination
 *   of the other choices);
 * - what the caller does at a customer queue flow's offer (wait, callback, message, hang-up) and at
 *   the voicemail tone (leave, hang-up), each chosen once per path, at its first use: a caller's
 *   choice, as SimulatedCall's `inQueue` and `voicemail` are. The queue flows come from `flows`.
 */

export interface LabelledOutcome {
  /** Names the answer in a path's choices, e.g. `found, open, menu with payments number`. */
  readonly label: string;
  readonly outcome: LambdaOutcome;
}

/** The answers of one function: a list, or one that depends on the event (e.g. its parameters). */
export type LambdaAnswers =
  | readonly LabelledOutcome[]
  | ((event: ContactFlowEvent) => readonly LabelledOutcome[]);

export interface EnumerationOptions {
  /** The call; its `digits` are ignored (keys are enumerated). A fixed contact id by default. */
  readonly call: SimulatedCall;
  /** The answers of every function the flow invokes, by ARN. */
  readonly lambdaAnswers: Readonly<Record<string, LambdaAnswers>>;
  /** @default - every behaviour: answer, no-answer, busy, fail */
  readonly thirdParty?: readonly ThirdPartyBehaviour[];
  /** @default - every behaviour: queued, at-capacity, fail */
  readonly queue?: readonly QueueBehaviour[];
  /** @default - every staffing: available, busy, none */
  readonly agents?: readonly AgentStaffing[];
  /** @default 1 */
  readonly faultsPerPath?: number;
  /** The flows an event hook may name (the customer queue flow), by ARN: `world.flow`. */
  readonly flows?: Readonly<Record<string, unknown>>;
  /** @default - every choice: wait, callback, message, hang-up */
  readonly inQueue?: readonly InQueueChoice[];
  /** @default - every choice: leave, hang-up */
  readonly voicemail?: readonly VoicemailChoice[];
  /** Refuse to go on past this many paths (a flow whose paths explode). @default 50_000 */
  readonly maxPaths?: number;
  /** Per path. @default 200 */
  readonly maxSteps?: number;
}

export type EnumeratedPath =
  | { readonly choices: readonly string[]; readonly ok: true; readonly result: SimulationResult }
  | {
      readonly choices: readonly string[];
      readonly ok: false;
      readonly error: FlowSimulationError;
    };

export interface CallEnumeration {
  readonly paths: readonly EnumeratedPath[];
  /** Every (action, branch) edge of the flow graph (flowEdges). */
  readonly edges: readonly string[];
  /** The edges some path took. */
  readonly edgesTaken: ReadonlySet<string>;
  /** Edges Connect never takes (edgesNeverTaken): not expected to be covered. */
  readonly edgesNeverTaken: readonly string[];
  /** Edges no path took that Connect could take: gaps in what the enumeration proves. */
  readonly uncoveredEdges: readonly string[];
  /** The same coverage for each flow of `flows` (the customer queue flows), by ARN. */
  readonly flowCoverage: Readonly<
    Record<
      string,
      { readonly edges: readonly string[]; readonly uncoveredEdges: readonly string[] }
    >
  >;
}

const ALL_THIRD_PARTY: readonly ThirdPartyBehaviour[] = ['answer', 'no-answer', 'busy', 'fail'];
const ALL_QUEUE: readonly QueueBehaviour[] = ['queued', 'at-capacity', 'fail'];
const ALL_AGENTS: readonly AgentStaffing[] = ['available', 'busy', 'none'];
const ALL_IN_QUEUE: readonly InQueueChoice[] = ['wait', 'callback', 'message', 'hang-up'];
const ALL_VOICEMAIL: readonly VoicemailChoice[] = ['leave', 'hang-up'];
const KEYS = [...'0123456789*#'];

/** The keys worth pressing at a menu: each it handles, one it does not, and none. */
const keysFor = (action: FlowAction): (string | undefined)[] => {
  const handled = [
    ...new Set(
      (action.Transitions.Conditions ?? [])
        .filter(({ Condition }) => Condition.Operator === 'Equals')
        .map(({ Condition }) => Condition.Operands[0]),
    ),
  ];
  const other = KEYS.find((key) => !handled.includes(key));
  return [...handled, ...(other === undefined ? [] : [other]), undefined];
};

/** The caller's choice, made once per path at its first use and kept after. */
const once = <T>(choose: () => T): (() => T) => {
  let made: { value: T } | undefined;
  return () => {
    made ??= { value: choose() };
    return made.value;
  };
};

const lastSegment = (arn: string): string => arn.split(/[:/]/).at(-1) ?? arn;

/** Replays a choice sequence, then takes the first option of every new choice. */
class Chooser {
  readonly made: { index: number; count: number }[] = [];
  readonly labels: string[] = [];

  constructor(private readonly prefix: readonly number[]) {}

  choose<T>(options: readonly T[], label: (option: T) => string | undefined): T {
    const position = this.made.length;
    const index = this.prefix[position] ?? 0;
    const option = options[index];
    if (option === undefined && index >= options.length) {
      throw new FlowSimulationError(
        'the flow made different choices when replayed: the simulation is not deterministic',
      );
    }
    this.made.push({ index, count: options.length });
    const text = label(option as T);
    if (text !== undefined) this.labels.push(text);
    return option as T;
  }

  /** The choice sequence of the next path, or undefined when every option has been taken. */
  next(): number[] | undefined {
    for (let k = this.made.length - 1; k >= 0; k -= 1) {
      const choice = this.made[k];
      if (choice !== undefined && choice.index + 1 < choice.count) {
        return [...this.made.slice(0, k).map((c) => c.index), choice.index + 1];
      }
    }
    return undefined;
  }
}

const worldFor = (chooser: Chooser, options: EnumerationOptions, faults: { used: number }) => {
  const staffing = new Map<string, AgentStaffing>();
  const world: SimulatedWorld = {
    invokeLambda: async (arn, event) => {
      const given = options.lambdaAnswers[arn];
      if (given === undefined) {
        throw new FlowSimulationError(
          `the enumeration has no answers for the function ${arn}; add them to lambdaAnswers`,
        );
      }
      const answers = typeof given === 'function' ? given(event) : given;
      if (answers.length === 0) {
        throw new FlowSimulationError(`lambdaAnswers for ${arn} is empty`);
      }
      const { outcome } = chooser.choose(answers, (a) => `${lastSegment(arn)}: ${a.label}`);
      // An enumerated answer is instant: it takes the simulated time it says, else none.
      return { ...outcome, elapsedMs: outcome.elapsedMs ?? 0 };
    },
    thirdParty: (number) =>
      chooser.choose(options.thirdParty ?? ALL_THIRD_PARTY, (b) => `${number}: ${b}`),
    queue: (queueArn) =>
      chooser.choose(options.queue ?? ALL_QUEUE, (b) => `queue ${lastSegment(queueArn)}: ${b}`),
    agents: (queueArn) => {
      const known = staffing.get(queueArn);
      if (known !== undefined) return known;
      const chosen = chooser.choose(
        options.agents ?? ALL_AGENTS,
        (a) => `agents ${lastSegment(queueArn)}: ${a}`,
      );
      staffing.set(queueArn, chosen);
      return chosen;
    },
    isOpen: () => chooser.choose([true, false], (open) => `hours: ${open ? 'open' : 'closed'}`),
    ...(options.flows === undefined ? {} : { flow: (arn: string) => options.flows?.[arn] }),
    fails: (identifier) => {
      if (faults.used >= (options.faultsPerPath ?? 1)) return false;
      const fails = chooser.choose([false, true], (f) => (f ? `${identifier}: fault` : undefined));
      if (fails) faults.used += 1;
      return fails;
    },
  };
  return world;
};

/** Explores every path of `flow` (see the top of this file); throws if the flow is refused. */
export const enumerateCalls = async (
  flow: unknown,
  options: EnumerationOptions,
): Promise<CallEnumeration> => {
  const document = checkFlow(flow);
  const call: SimulatedCall = {
    contactId: '00000000-0000-4000-8000-00000000ca11',
    instanceArn: DEFAULT_INSTANCE_ARN,
    ...options.call,
  };
  const maxPaths = options.maxPaths ?? 50_000;
  const paths: EnumeratedPath[] = [];
  const edgesTaken = new Set<string>();
  // Each queue flow, checked once, with the edges the paths took in it.
  const queueFlows = Object.entries(options.flows ?? {}).map(([arn, flow]) => ({
    arn,
    document: checkFlow(flow, 'CUSTOMER_QUEUE'),
    taken: new Set<string>(),
  }));
  for (let prefix: number[] | undefined = []; prefix !== undefined; ) {
    if (paths.length >= maxPaths) {
      throw new FlowSimulationError(
        `the enumeration passed ${maxPaths} paths; narrow the answers or raise maxPaths`,
      );
    }
    const chooser: Chooser = new Chooser(prefix);
    const world = worldFor(chooser, options, { used: 0 });
    const keypad = (action: FlowAction) =>
      chooser.choose(keysFor(action), (key) =>
        key === undefined ? `${action.Identifier}: no key` : `${action.Identifier}: key ${key}`,
      );
    const inQueue = once(() =>
      chooser.choose(options.inQueue ?? ALL_IN_QUEUE, (c) => `in queue: ${c}`),
    );
    const voicemail = once(() =>
      chooser.choose(options.voicemail ?? ALL_VOICEMAIL, (c) => `voicemail: ${c}`),
    );
    try {
      const result = await simulateCheckedCall(document, call, world, {
        keypad,
        inQueue,
        voicemail,
        ...(options.maxSteps === undefined ? {} : { maxSteps: options.maxSteps }),
      });
      for (const edge of edgesOfTrace(document, result.trace)) edgesTaken.add(edge);
      for (const queueFlow of queueFlows) {
        for (const edge of edgesOfTrace(queueFlow.document, result.trace, queueFlow.arn)) {
          queueFlow.taken.add(edge);
        }
      }
      paths.push({ choices: chooser.labels, ok: true, result });
    } catch (thrown) {
      if (!(thrown instanceof FlowSimulationError)) throw thrown;
      paths.push({ choices: chooser.labels, ok: false, error: thrown });
    }
    prefix = chooser.next();
  }
  const edges = flowEdges(document);
  const neverTaken = edgesNeverTaken(document);
  return {
    paths,
    edges,
    edgesTaken,
    edgesNeverTaken: neverTaken,
    uncoveredEdges: edges.filter((edge) => !edgesTaken.has(edge) && !neverTaken.includes(edge)),
    flowCoverage: Object.fromEntries(
      queueFlows.map(({ arn, document: flow, taken }) => {
        const never = edgesNeverTaken(flow);
        const all = flowEdges(flow);
        const uncovered = all.filter((e) => !taken.has(e) && !never.includes(e));
        return [arn, { edges: all, uncoveredEdges: uncovered }];
      }),
    ),
  };
};

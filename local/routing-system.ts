import { fileURLToPath } from 'node:url';
import { ROUTING_TABLE } from '../lambdas/contracts/tables.js';
import type { Portfolio } from '../lambdas/domain/portfolio/schema.js';
import type { RoutingEntry } from '../lambdas/domain/route.js';
import { isOpenAt } from '../lambdas/domain/weekly-hours.js';
import type { FlowDocument } from '../lambdas/flow/language/index.js';
import { simulateCall } from '../lambdas/flow/simulator/index.js';
import type { SimulatedCall, SimulationResult } from '../lambdas/flow/simulator/types.js';
import { loadPortfolio, portfolioFileName } from '../lib/config/load-portfolio.js';
import { type LocalDynamo, type LocalDynamoOptions, startLocalDynamo } from './dynamo.js';
import { localHookFlows, localInboundFlow } from './flow.js';
import {
  LOCAL_INSTANCE_ARN,
  LOCAL_ROUTING_TABLE_NAME,
  type LocalStandIn,
  localStandIns,
} from './names.js';
import { localRoutingEntries, writeLocalCatalog, writeRoutingEntries } from './routing-table.js';
import {
  createLocalWorld,
  type HoursCheckSeen,
  type LocalInvocation,
  type LocalWorld,
  type LocalWorldOptions,
  type QueueHandOverSeen,
  type RecordingRequestSeen,
  type StaffingSeen,
  type TransferSeen,
} from './world.js';

/** The project's example portfolio. */
export const DEFAULT_PORTFOLIO_PATH = fileURLToPath(
  new URL('../config/portfolio.yaml', import.meta.url),
);

export interface LocalRoutingSystemOptions {
  /** The portfolio file, validated as synth validates it. @default config/portfolio.yaml */
  readonly portfolioPath?: string;
  /** Where dynalite keeps its data. @default - in memory */
  readonly dynamo?: LocalDynamoOptions;
  /** A local DynamoDB already running to use instead (`dynamo` is then ignored); not closed. */
  readonly sharedDynamo?: LocalDynamo;
  /**
   * Write the portfolio's entries and catalog into the routing table. False to use the routing
   * table as it is (another process's system: `npm run call` against `npm start`). @default true
   */
  readonly writeRouting?: boolean;
  /** @default LOCAL_ROUTING_TABLE_NAME */
  readonly tableName?: string;
  /**
   * The call log in the same DynamoDB, for route-call's first-time-caller answer.
   * @default - none: every call's firstTimeCaller is unknown
   */
  readonly callLogTableName?: string;
}

/** One call run through the local system. */
export interface LocalCallResult {
  readonly simulation: SimulationResult;
  /** The functions the flow invoked, with their real elapsed time and logs. */
  readonly invocations: readonly LocalInvocation[];
  /** What recording-control asked Amazon Connect to do. */
  readonly recordingRequests: readonly RecordingRequestSeen[];
  readonly transfers: readonly TransferSeen[];
  readonly queueHandOvers: readonly QueueHandOverSeen[];
  /** Every CheckHoursOfOperation and the world's answer. */
  readonly hoursChecks: readonly HoursCheckSeen[];
  /** Every staffing question (CheckMetricData, a queued call) and the world's answer. */
  readonly staffingChecks: readonly StaffingSeen[];
  /**
   * Functions still running when the call was over and the world's grace ran out (past their
   * time limit: the flow had taken the Error branch). The world closed anyway.
   */
  readonly stillRunning: readonly LocalInvocation[];
  /** The keys of `call.digits` the flow never asked for (it asked for fewer inputs); '' if none. */
  readonly unusedDigits: string;
}

export interface LocalCallOptions extends LocalWorldOptions {
  /** The simulator's step limit. */
  readonly maxSteps?: number;
  /** Another flow to run (e.g. from localFlowFromFile). @default - the local inbound flow */
  readonly flow?: unknown;
}

/** The hours of the location a number routes to, as the portfolio declares them. */
export interface LocationHours {
  readonly locationId: string;
  readonly timeZone: string;
  isOpen(at: Date): boolean;
}

export interface LocalRoutingSystem {
  readonly portfolio: Portfolio;
  readonly dynamo: LocalDynamo;
  readonly tableName: string;
  /** The entries written to the routing table, in the order of the portfolio's tracking numbers. */
  readonly entries: readonly RoutingEntry[];
  /** The numbers claimed tracking numbers answer to locally. */
  readonly standIns: readonly LocalStandIn[];
  /** The inbound flow with the local ARNs and the portfolio's static fallback. */
  readonly flow: FlowDocument;
  /** The hours of the location `dialed` routes to; undefined for a number the table does not hold. */
  locationHours(dialed: string): LocationHours | undefined;
  /** A world over this system's routing table; closed with the system if not before. */
  createWorld(options?: LocalWorldOptions): Promise<LocalWorld>;
  /**
   * Runs one call through the inbound flow in a fresh world (route-call's clock is the call's
   * time unless `now` is given; CheckHoursOfOperation answers with the hours of the dialed
   * number's location unless `hours` is given, open for a number the table does not hold, and
   * open for a queue's own hours, as the stack creates its queues).
   * Rejects with FlowSimulationError when the flow breaks the rules.
   */
  runCall(call: SimulatedCall, options?: LocalCallOptions): Promise<LocalCallResult>;
  /** Closes every world and stops dynalite. Safe to call more than once. */
  close(): Promise<void>;
}

/**
 * Starts the local routing system: dynalite on 127.0.0.1, the routing table created from
 * ROUTING_TABLE and filled with the portfolio's entries, and the inbound flow ready to run.
 */
export const startLocalRoutingSystem = async (
  options: LocalRoutingSystemOptions = {},
): Promise<LocalRoutingSystem> => {
  const portfolioPath = options.portfolioPath ?? DEFAULT_PORTFOLIO_PATH;
  const portfolio = loadPortfolio(portfolioPath);
  const standIns = localStandIns(portfolio);
  const entries = localRoutingEntries(portfolio, standIns);
  const flow = localInboundFlow(portfolio);
  const tableName = options.tableName ?? LOCAL_ROUTING_TABLE_NAME;
  const ringToNumbers = new Set(portfolio.locations.map((l) => l.ringTo));

  const dynamo = options.sharedDynamo ?? (await startLocalDynamo(options.dynamo));
  const closeDynamo = options.sharedDynamo ? async () => {} : () => dynamo.close();
  const worlds = new Set<LocalWorld>();
  try {
    await dynamo.ensureTable(tableName, ROUTING_TABLE);
    if (options.writeRouting !== false) {
      await writeRoutingEntries(dynamo.client, tableName, entries);
      await writeLocalCatalog(
        dynamo.client,
        tableName,
        portfolio,
        standIns,
        portfolioFileName(portfolioPath),
      );
    }
  } catch (error) {
    await closeDynamo();
    throw error;
  }

  const createWorld = async (worldOptions: LocalWorldOptions = {}): Promise<LocalWorld> => {
    const world = await createLocalWorld(
      {
        dynamoEndpoint: dynamo.endpoint,
        tableName,
        ringToNumbers,
        ...(options.callLogTableName === undefined
          ? {}
          : { callLogTableName: options.callLogTableName }),
      },
      worldOptions,
    );
    worlds.add(world);
    return {
      ...world,
      close() {
        worlds.delete(world);
        return world.close();
      },
    };
  };

  const locationHours = (dialed: string): LocationHours | undefined => {
    const entry = entries.find((e) => e.trackingNumber === dialed);
    if (!entry) return undefined;
    const { hours, timeZone } = entry.route;
    return {
      locationId: entry.locationId,
      timeZone,
      isOpen: (at) => isOpenAt(hours, timeZone, at),
    };
  };

  let closed: Promise<void> | undefined;
  return {
    portfolio,
    dynamo,
    tableName,
    entries,
    standIns,
    flow,
    locationHours,
    createWorld,
    async runCall(call, { maxSteps, flow: otherFlow, ...worldOptions } = {}) {
      const located = locationHours(call.dialed);
      const world = await createWorld({
        now: () => call.at.getTime(),
        // A queue's own hours (no hours named): the stack creates every queue always open.
        hours: (query, at) =>
          (query.hoursOfOperationId === undefined && query.queueArn !== undefined) ||
          (located?.isOpen(at) ?? true),
        flows: localHookFlows(portfolio),
        ...worldOptions,
      });
      // One key per input the flow asks for, as the simulator takes them; what is left went unused.
      const keys = [...(call.digits ?? '')];
      let simulation: SimulationResult;
      try {
        simulation = await simulateCall(
          otherFlow ?? flow,
          { instanceArn: LOCAL_INSTANCE_ARN, ...call },
          world,
          { ...(maxSteps === undefined ? {} : { maxSteps }), keypad: () => keys.shift() },
        );
      } catch (error) {
        await world.close();
        throw error;
      }
      const { stillRunning } = await world.close();
      return {
        simulation,
        invocations: world.invocations,
        recordingRequests: world.recordingRequests,
        transfers: world.transfers,
        queueHandOvers: world.queueHandOvers,
        hoursChecks: world.hoursChecks,
        staffingChecks: world.staffingChecks,
        stillRunning,
        unusedDigits: keys.join(''),
      };
    },
    close() {
      closed ??= (async () => {
        await Promise.allSettled([...worlds].map((w) => w.close()));
        await closeDynamo();
      })();
      return closed;
    },
  };
};

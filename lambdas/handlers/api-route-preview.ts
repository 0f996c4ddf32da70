import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ConnectContactFlowEvent } from 'aws-lambda';
import inboundFlowTemplate from '../../contact-flows/inbound-call.json';
import { localInboundFlow } from '../../local/flow.js';
import { LOCAL_INSTANCE_ARN } from '../../local/names.js';
import { createLocalWorld } from '../../local/world.js';
import { readPortfolioCatalog } from '../adapters/dynamodb/catalog-store.js';
import {
  createRoutingLookup,
  type RoutingLookup,
} from '../adapters/dynamodb/routing-table-reader.js';
import { ApiError, type ApiRequest, type RouteHandler } from '../adapters/http/api-contract.js';
import { DEFAULT_ROUTE_BUDGET_MS } from '../contracts/environment.js';
import { isE164, NOT_E164 } from '../domain/phone-number.js';
import type { RouteAnswer } from '../domain/route.js';
import { InvalidFlowError } from '../flow/language/index.js';
import { FlowSimulationError, simulateCall } from '../flow/simulator/index.js';
import type {
  SimulatedWorld,
  SimulationResult,
  ThirdPartyBehaviour,
} from '../flow/simulator/types.js';
import { createRouteCall } from './route-call-core.js';

/**
 * GET /route-preview?to=…&from=…&at=…: what the flow would do with that call. route-call's real
 * core answers from the routing table at `at`; the simulator then runs the shipped inbound flow
 * (bundled from contact-flows/inbound-call.json, its function ARNs replaced by the local stand-ins)
 * in a world where that same core answers, recording-control succeeds and third parties answer, and
 * once more with the ring-to line not answering. Nothing is dialed and nothing is written.
 */

export const PREVIEW_SCENARIOS = ['ring-to answers', 'ring-to does not answer'] as const;
export type PreviewScenario = (typeof PREVIEW_SCENARIOS)[number];

export interface PreviewPath {
  readonly scenario: PreviewScenario;
  /** Keys the simulated caller presses at the menu (`1`: ring the location), or `none`. */
  readonly digits: string;
  readonly outcome: SimulationResult['outcome'];
  readonly endpoint: string;
  readonly prompts: readonly string[];
  readonly recording: readonly { atSeconds: number; state: string; by: string }[];
  readonly steps: readonly { action: string; identifier: string; branch: string; note?: string }[];
}

export type RoutePreview = {
  readonly to: string;
  readonly from: string | null;
  readonly at: string;
  readonly route: RouteAnswer;
} & (
  | { readonly source: 'simulator'; readonly paths: readonly PreviewPath[] }
  | { readonly source: 'route-call'; readonly reason: string }
);

/** The caller when `from` is not given: route-call logs it masked and routes without it. */
const ANONYMOUS_CALLER = '+10000000000';
const QUERY_KEYS = ['to', 'from', 'at'];

export interface RoutePreviewDependencies {
  readonly client: DynamoDBClient;
  readonly routingTableName: string;
  readonly clock?: () => Date;
  /** The flow template, placeholders and all. @default contact-flows/inbound-call.json */
  readonly flowTemplate?: unknown;
}

const parseQuery = (query: Readonly<Record<string, string>>, clock: () => Date) => {
  const problems: string[] = [];
  for (const key of Object.keys(query)) {
    if (!QUERY_KEYS.includes(key)) {
      problems.push(`${key} is not a parameter of the route preview: use to, from and at`);
    }
  }
  // A `+` in a query string arrives as a space when not written %2B.
  const number = (key: string) => query[key]?.replace(/^ /, '+');
  const to = number('to');
  if (to === undefined) problems.push(`to is required: the dialed number, e.g. +15125550151`);
  else if (!isE164(to)) problems.push(`to ${NOT_E164}; in a URL write + as %2B`);
  const from = number('from');
  if (from !== undefined && !isE164(from))
    problems.push(`from ${NOT_E164}; in a URL write + as %2B`);
  let at = clock();
  if (query.at !== undefined) {
    at = new Date(query.at);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(query.at) || Number.isNaN(at.getTime())) {
      problems.push('at is not an ISO 8601 timestamp: write e.g. 2027-03-01T15:00:00Z');
    }
  }
  if (problems.length > 0) {
    throw new ApiError(400, 'invalid-query', 'the route preview query is not valid', problems);
  }
  return { to: to as string, from, at };
};

const pathOf = (scenario: PreviewScenario, digits: string, run: SimulationResult): PreviewPath => ({
  scenario,
  digits: digits || 'none',
  outcome: run.outcome,
  endpoint: run.endpoint,
  prompts: run.prompts.map((p) => p.text),
  recording: run.recording.map(({ atSeconds, state, by }) => ({ atSeconds, state, by })),
  steps: run.trace.map((s) => ({
    action: s.type,
    identifier: s.identifier,
    branch: s.branch,
    ...(s.note === undefined ? {} : { note: s.note }),
  })),
});

export const createRoutePreview = ({
  client,
  routingTableName,
  clock = () => new Date(),
  flowTemplate = inboundFlowTemplate,
}: RoutePreviewDependencies): RouteHandler => {
  // No cache: a preview right after an edit must see it.
  const lookup: RoutingLookup = createRoutingLookup({
    client,
    tableName: routingTableName,
    budgetMs: DEFAULT_ROUTE_BUDGET_MS,
    cacheTtlMs: 0,
    negativeCacheTtlMs: 0,
  });

  const simulate = async (
    flow: unknown,
    call: { dialed: string; caller: string; at: Date; digits: string; contactId: string },
    ringTo: string,
    ringToBehaviour: ThirdPartyBehaviour,
  ): Promise<SimulationResult> => {
    const world = await createLocalWorld(
      { dynamoEndpoint: 'unused: the lookup is given', lookup, ringToNumbers: [ringTo] },
      { now: () => call.at.getTime(), ringTo: ringToBehaviour },
    );
    // Functions answer in no simulated time: the same query gives the same preview, whatever the
    // read's real latency (the lookup's own budget keeps it within the block's limit).
    const instant: SimulatedWorld = {
      invokeLambda: async (arn, event, limit) => ({
        ...(await world.invokeLambda(arn, event, limit)),
        elapsedMs: 0,
      }),
      thirdParty: (number, timeout) => world.thirdParty(number, timeout),
      queue: (queueArn) => world.queue(queueArn),
      ...(world.isOpen ? { isOpen: world.isOpen.bind(world) } : {}),
    };
    try {
      return await simulateCall(flow, { instanceArn: LOCAL_INSTANCE_ARN, ...call }, instant);
    } finally {
      await world.close();
    }
  };

  return async (request: ApiRequest) => {
    const { to, from, at } = parseQuery(request.query, clock);
    const contactId = `route-preview-${request.requestId}`;
    const caller = from ?? ANONYMOUS_CALLER;
    const routeCall = createRouteCall({ lookup, now: () => at.getTime() });
    const event = {
      Name: 'ContactFlowEvent',
      Details: {
        ContactData: {
          ContactId: contactId,
          SystemEndpoint: { Address: to, Type: 'TELEPHONE_NUMBER' },
          CustomerEndpoint: { Address: caller, Type: 'TELEPHONE_NUMBER' },
        },
        Parameters: {},
      },
    } as unknown as ConnectContactFlowEvent;
    const route = (await routeCall(event)) as unknown as RouteAnswer;
    const base = { to, from: from ?? null, at: at.toISOString(), route };

    const portfolio = await readPortfolioCatalog(client, routingTableName);
    if (!portfolio) {
      return {
        statusCode: 200,
        body: {
          ...base,
          source: 'route-call',
          reason: 'no portfolio catalog: the stack is not deployed yet',
        },
      };
    }
    try {
      const flow = localInboundFlow(portfolio, JSON.stringify(flowTemplate));
      // At a menu the simulated caller presses 1, to ring the location.
      const digits = route.menu === 'true' ? '1' : '';
      const call = { dialed: to, caller, at, digits, contactId };
      const paths: PreviewPath[] = [];
      for (const scenario of PREVIEW_SCENARIOS) {
        const behaviour = scenario === 'ring-to answers' ? 'answer' : 'no-answer';
        paths.push(pathOf(scenario, digits, await simulate(flow, call, route.ringTo, behaviour)));
      }
      return { statusCode: 200, body: { ...base, source: 'simulator', paths } };
    } catch (error) {
      // The flow breaks the simulator's or the wire format's rules: route-call's answer still holds.
      if (!(error instanceof FlowSimulationError || error instanceof InvalidFlowError)) throw error;
      return {
        statusCode: 200,
        body: {
          ...base,
          source: 'route-call',
          reason: `the simulator cannot run the flow: ${error.message}`,
        },
      };
    }
  };
};

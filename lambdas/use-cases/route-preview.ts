import type { ConnectContactFlowEvent } from 'aws-lambda';
import type { RoutingLookup } from '../adapters/dynamodb/routing-table-reader.js';
import type { ContactRecordingPort } from '../domain/contact-recording.js';
import type { RouteAnswer } from '../domain/route.js';
import { InvalidFlowError } from '../flow/language/index.js';
import {
  type FlowPortfolio,
  PREVIEW_INSTANCE_ARN,
  previewInboundFlow,
} from '../flow/preview-names.js';
import { createPreviewWorld } from '../flow/preview-world.js';
import {
  FlowSimulationError,
  type SimulationResult,
  simulateCall,
  type ThirdPartyBehaviour,
} from '../flow/simulator/index.js';
import { recordingControlFunction, routeCallFunction } from './flow-functions.js';
import { createRouteCall } from './route-call.js';

/**
 * What the flow would do with a call to `to` from `from` at `at`. route-call's real core answers
 * from the routing table at `at`; the simulator then runs the shipped inbound flow (its function
 * ARNs replaced by the preview's stand-ins) in a world where that same core answers,
 * recording-control succeeds and third parties answer, and once more with the ring-to line not
 * answering. Nothing is dialed and nothing is written.
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

/** The call to preview: `to` E.164, `from` E.164 when given. */
export interface RoutePreviewQuery {
  readonly to: string;
  readonly from: string | undefined;
  readonly at: Date;
  /** The simulated contact's id (the flow and route-call's log line show it). */
  readonly contactId: string;
}

export interface PreviewRouteDependencies {
  /** The routing table as route-call reads it (uncached: a preview right after an edit sees it). */
  readonly lookup: RoutingLookup;
  /** The portfolio catalog the deploy wrote; undefined before the first deploy. */
  readonly readPortfolio: () => Promise<FlowPortfolio | undefined>;
  /** The flow template, placeholders and all. */
  readonly flowTemplate: unknown;
}

/** The caller when `from` is not given: route-call logs it masked and routes without it. */
const ANONYMOUS_CALLER = '+10000000000';

/** Connect accepting every recording command: recording-control answers as it does in production. */
const CONNECT_ACCEPTS: ContactRecordingPort = { send: async () => {} };

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

/** The contact-flow event Connect sends route-call for this call. */
const contactFlowEventOf = (to: string, caller: string, contactId: string) =>
  ({
    Name: 'ContactFlowEvent',
    Details: {
      ContactData: {
        ContactId: contactId,
        SystemEndpoint: { Address: to, Type: 'TELEPHONE_NUMBER' },
        CustomerEndpoint: { Address: caller, Type: 'TELEPHONE_NUMBER' },
      },
      Parameters: {},
    },
  }) as unknown as ConnectContactFlowEvent;

export const createPreviewRoute = ({
  lookup,
  readPortfolio,
  flowTemplate,
}: PreviewRouteDependencies) => {
  const simulate = (
    flow: unknown,
    call: { dialed: string; caller: string; at: Date; digits: string; contactId: string },
    ringTo: string,
    ringToBehaviour: ThirdPartyBehaviour,
  ): Promise<SimulationResult> => {
    // Functions answer in no simulated time: the same query gives the same preview, whatever the
    // read's real latency (the lookup's own budget keeps it within the block's limit).
    const world = createPreviewWorld({
      routeCall: routeCallFunction({ lookup, now: () => call.at.getTime() }),
      recordingControl: recordingControlFunction(CONNECT_ACCEPTS),
      ringToNumbers: [ringTo],
      ringTo: ringToBehaviour,
      instant: true,
    });
    return simulateCall(flow, { instanceArn: PREVIEW_INSTANCE_ARN, ...call }, world);
  };

  return async ({ to, from, at, contactId }: RoutePreviewQuery): Promise<RoutePreview> => {
    const caller = from ?? ANONYMOUS_CALLER;
    const routeCall = createRouteCall({ lookup, now: () => at.getTime() });
    const route = (await routeCall(
      contactFlowEventOf(to, caller, contactId),
    )) as unknown as RouteAnswer;
    const base = { to, from: from ?? null, at: at.toISOString(), route };

    const portfolio = await readPortfolio();
    if (!portfolio) {
      return {
        ...base,
        source: 'route-call',
        reason: 'no portfolio catalog: the stack is not deployed yet',
      };
    }
    try {
      const flow = previewInboundFlow(portfolio, JSON.stringify(flowTemplate));
      // At a menu the simulated caller presses 1, to ring the location.
      const digits = route.menu === 'true' ? '1' : '';
      const call = { dialed: to, caller, at, digits, contactId };
      const paths: PreviewPath[] = [];
      for (const scenario of PREVIEW_SCENARIOS) {
        const behaviour = scenario === 'ring-to answers' ? 'answer' : 'no-answer';
        paths.push(pathOf(scenario, digits, await simulate(flow, call, route.ringTo, behaviour)));
      }
      return { ...base, source: 'simulator', paths };
    } catch (error) {
      // The flow breaks the simulator's or the wire format's rules: route-call's answer still holds.
      if (!(error instanceof FlowSimulationError || error instanceof InvalidFlowError)) throw error;
      return {
        ...base,
        source: 'route-call',
        reason: `the simulator cannot run the flow: ${error.message}`,
      };
    }
  };
};

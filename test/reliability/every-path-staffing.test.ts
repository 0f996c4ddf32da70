import { beforeAll, describe, expect, it } from 'vitest';
import {
  type AgentStaffing,
  type CallEnumeration,
  pathProblems,
} from '../../lambdas/flow/simulator/index.js';
import { inboundFlowText } from '../flow/shipped-flow.js';
import {
  completed,
  enumerate,
  ROUTE_CALL_ANSWERS,
  RULES,
  worstReach,
} from '../flow/shipped-flow-paths.js';
import { FUZZ_SCALE } from './scale.js';

/**
 * The every-path enumeration with every staffing of every queue, an available agent included
 * (test/flow enumerates busy and none only, which already take every branch). `npm run fuzz`
 * (FUZZ_SCALE 10) explores every route-call answer; a plain run, one route that reaches both
 * queues (an open location, not recorded, with a queue fallback and a payments-queue menu).
 */

const ALL_AGENTS: readonly AgentStaffing[] = ['available', 'busy', 'none'];

const answers =
  FUZZ_SCALE >= 10
    ? ROUTE_CALL_ANSWERS
    : ROUTE_CALL_ANSWERS.filter(
        ({ label }) => label === 'found, queue fallback, menu payments queue, not recorded, open',
      );

let enumeration: CallEnumeration;

beforeAll(async () => {
  enumeration = await enumerate(JSON.parse(inboundFlowText()), answers, ALL_AGENTS, [
    'leave',
    'hang-up',
  ]);
}, 120_000);

describe('every path of the shipped inbound flow, with every staffing', () => {
  it('keeps every rule, never queues a call nobody staffs, and reaches the caller within the bound', () => {
    const results = completed(enumeration.paths);
    const { seconds, bound, over } = worstReach(results);
    console.log(
      `every-path-staffing: ${enumeration.paths.length} paths over ${answers.length} route answers; ` +
        `the longest before a person, a closing message or the end of the queue wait: ${seconds} s (bound ${bound} s)`,
    );
    expect(answers.length).toBeGreaterThan(0);
    const problems = pathProblems(enumeration.paths, RULES);
    expect(problems.filter((problem) => problem.rule !== 'message-failed')).toEqual([]);
    expect(over).toEqual([]);
    const queued = enumeration.paths.filter((path) => path.ok && path.result.outcome === 'queued');
    const nobodyQueued = queued.filter(
      (path) =>
        path.ok && path.choices.includes(`agents ${path.result.endpoint.split('/').at(-1)}: none`),
    );
    expect(nobodyQueued).toEqual([]);
    // An available agent answers: the call is queued and its contact record names the agent.
    const answered = results.filter((result) => result.queue?.answeredByAgentSeconds !== undefined);
    expect(answered.length).toBeGreaterThan(0);
    for (const result of answered) {
      expect(result.outcome).toBe('queued');
      expect(result.contactRecord.Agent).not.toBeNull();
    }
  });
});

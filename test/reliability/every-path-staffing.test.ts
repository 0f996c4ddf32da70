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
  recordingAt,
  worstReach,
} from '../flow/shipped-flow-paths.js';
import { FUZZ_SCALE } from './scale.js';

/**
 * The every-path enumeration with every staffing of every queue, an available agent included
 * (test/flow enumerates busy and none only, which already take every branch). `npm run fuzz`
 * (FUZZ_SCALE 10) explores every route-call answer; a plain run, the routes that reach both
 * queues (an open location with a queue fallback and a payments-queue menu), recorded and not.
 */

const ALL_AGENTS: readonly AgentStaffing[] = ['available', 'busy', 'none'];

const answers =
  FUZZ_SCALE >= 10
    ? ROUTE_CALL_ANSWERS
    : ROUTE_CALL_ANSWERS.filter(({ label }) =>
        [
          'found, queue fallback, menu payments queue, not recorded, open',
          'found, queue fallback, menu payments queue, recorded, open',
        ].includes(label),
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

  it('tells the agent the call may be recorded whenever it is, as the agent is connected', () => {
    const whispered = completed(enumeration.paths).filter(
      (result) => (result.agentWhisper ?? []).length > 0,
    );
    const notice = 'This call may be recorded.';
    const told = { yes: 0, no: 0 };
    for (const result of whispered) {
      const connected = result.agentWhisper?.[0]?.step ?? 0;
      const recording = recordingAt(result, connected) === 'recording';
      // An injected failure of the notice itself is the one way it may go unsaid.
      const failed = result.trace.some(
        (s) => s.identifier === 'whisper-recorded' && s.branch !== 'next',
      );
      const whisper = result.agentWhisper ?? [];
      expect(
        whisper.map((p) => p.text).includes(notice),
        `${result.trace.map((s) => `${s.identifier} [${s.branch}]`).join(' -> ')} (recording ${recordingAt(result, connected)}, attribute ${result.attributes.recording})`,
      ).toBe(recording && !failed ? true : whisper.some((p) => p.text === notice));
      // Said without a recording only around a suspension (a payments queue turned recording
      // off with the mark still "suspended", or a resume failed): a notice too many, never too few.
      if (!recording && whisper.some((p) => p.text === notice))
        expect([result.attributes.recording, recordingAt(result, connected)]).toContain(
          'suspended',
        );
      told[recording ? 'yes' : 'no'] += 1;
    }
    // Not vacuous: agents take both recorded calls and calls that are not (a payments queue).
    expect(told.yes).toBeGreaterThan(0);
    expect(told.no).toBeGreaterThan(0);
  });
});

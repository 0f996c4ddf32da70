import { beforeAll, describe, expect, it } from 'vitest';
import { validateFlow } from '../../lambdas/flow/language/index.js';
import {
  type CallEnumeration,
  pathProblems,
  SIMULATED_TIME,
} from '../../lambdas/flow/simulator/index.js';
import { inboundFlowText } from './shipped-flow.js';
import {
  completed,
  editedFlow,
  enumerate,
  foundAnswers,
  ROUTE_CALL_ANSWERS,
  RULES,
  recordingAt,
  STATIC_FALLBACK,
  TEST_AGENTS,
  worstReach,
} from './shipped-flow-paths.js';

/**
 * Every path of the shipped inbound flow, simulated: each route-call answer (every fallback type,
 * menu or not, recording or not, open or closed, both payments targets, unknown number, lookup
 * error, function failure, timeout, malformed answer), each ring-to and fallback behaviour, each
 * queue behaviour, each queue's hours and staffing (busy or none: TEST_AGENTS), each menu key, each
 * recording-control result, and a single injected fault of any action that has a NoMatchingError
 * branch.
 */

let shipped: CallEnumeration;

beforeAll(async () => {
  shipped = await enumerate(JSON.parse(inboundFlowText()));
});

describe('every path of the shipped inbound flow', () => {
  it('ends with the caller reaching a person or hearing an explicit message, never in silence', () => {
    const results = completed(shipped.paths);
    const outcomes: Record<string, number> = {};
    for (const { outcome } of results) outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    console.log(
      `every-path: ${shipped.paths.length} paths explored (${Object.entries(outcomes)
        .map(([outcome, count]) => `${outcome} ${count}`)
        .join(', ')})`,
    );
    const problems = pathProblems(shipped.paths, RULES);
    // The only silence: the apology itself failing to play, the flow's last word after every
    // number and queue has failed; nothing is left to tell the caller.
    const tolerated = problems.filter((problem) => problem.rule === 'message-failed');
    expect(problems.filter((problem) => problem.rule !== 'message-failed')).toEqual([]);
    expect(new Set(tolerated.map((problem) => problem.path.choices.at(-1)))).toEqual(
      new Set(['play-apology: fault']),
    );
    // Not vacuous: every kind of ending and every endpoint is really reached.
    expect(Object.keys(outcomes).sort()).toEqual([
      'disconnected',
      'message-disconnect',
      'queued',
      'transferred',
    ]);
    expect(new Set(results.map((result) => result.endpoint))).toEqual(
      new Set([...(RULES.endpoints ?? []), 'none']),
    );
  });

  it('explores every combination of a found route', () => {
    const labels = new Set(foundAnswers.map(({ label }) => label));
    expect(labels.size).toBe(36);
    const explored = new Set(shipped.paths.map((path) => path.choices[0]));
    for (const label of labels) expect(explored).toContain(`route-call: ${label}`);
  });

  it('plays the disclosure before recording starts, on every path', () => {
    const results = completed(shipped.paths);
    const recorded = results.filter((result) =>
      result.recording.some((change) => change.state === 'recording'),
    );
    expect(recorded.length).toBeGreaterThan(100);
    for (const result of recorded) {
      const started = result.recording.find((change) => change.state === 'recording');
      const disclosure = result.prompts.find((prompt) => prompt.by === 'play-recording-disclosure');
      expect(disclosure?.text).toBe(result.attributes.disclosure);
      expect(disclosure?.step ?? Number.POSITIVE_INFINITY).toBeLessThan(started?.step ?? 0);
    }
    expect(pathProblems(shipped.paths, RULES).filter((p) => p.rule === 'disclosure')).toEqual([]);
  });

  it('never puts the caller through to a payment line while the recording captures the call', () => {
    const atPayments = completed(shipped.paths).flatMap((result) =>
      result.trace
        .filter((step) => step.identifier.startsWith('transfer-to-payments'))
        .map((step) => ({ result, state: recordingAt(result, step.step) })),
    );
    expect(atPayments.filter(({ state }) => state === 'recording')).toEqual([]);
    // Not vacuous: a payment line is reached with recording suspended, and with it never on.
    expect(new Set(atPayments.map(({ state }) => state))).toEqual(new Set(['suspended', 'off']));
  });

  it('covers every edge of the flow graph', () => {
    console.log(
      `every-path: ${shipped.edgesTaken.size} of ${shipped.edges.length} edges covered, ` +
        `${shipped.edgesNeverTaken.length} never taken by Connect`,
    );
    expect(shipped.uncoveredEdges).toEqual([]);
    // A successful hand-over to a queue ends the flow: its NextAction is never followed.
    // Nor is CheckHoursOfOperation's: its True and False cover every answer.
    expect(shipped.edgesNeverTaken).toEqual([
      'check-payments-queue-hours [next] -> check-payments-queue-staffing',
      'transfer-to-payments-queue [next] -> check-suspended-after-failed-payments',
      'check-fallback-queue-hours [next] -> check-fallback-queue-staffing',
      'transfer-to-fallback-queue [next] -> transfer-to-static-fallback',
    ]);
    expect(shipped.edgesTaken.size + shipped.edgesNeverTaken.length).toBe(shipped.edges.length);
  });

  it('never queues a call on a queue nobody staffs', () => {
    const nobody = (queueArn: string) => `agents ${queueArn.split('/').at(-1)}: none`;
    const queued = shipped.paths.filter((path) => path.ok && path.result.outcome === 'queued');
    expect(
      queued.filter((path) => path.ok && path.choices.includes(nobody(path.result.endpoint))),
    ).toEqual([]);
    // Not vacuous: both queues are found unstaffed on some paths, and queued on others.
    expect(TEST_AGENTS).toContain('none');
    for (const queue of ['call-center', 'payments']) {
      expect(shipped.paths.some((path) => path.choices.includes(`agents ${queue}: none`))).toBe(
        true,
      );
      expect(queued.some((path) => path.ok && path.result.endpoint.endsWith(`/${queue}`))).toBe(
        true,
      );
    }
  });

  it('reaches a person, a closing message or the end of the queue wait within its bound', () => {
    const { seconds, bound, over } = worstReach(completed(shipped.paths));
    console.log(
      `every-path: the longest a caller waits before a person, a closing message or the end of the queue wait: ${seconds} s (bound ${bound} s)`,
    );
    expect(over.map((result) => result.trace.map((step) => step.identifier).join(' -> '))).toEqual(
      [],
    );
    // Not vacuous: the worst case is a caller left in a queue nobody answers, to the bound.
    expect(seconds).toBeGreaterThan(SIMULATED_TIME.maxQueueWaitSeconds);
  });

  it('writes a contact record for every path', () => {
    for (const result of completed(shipped.paths).slice(0, 500)) {
      expect(result.contactRecord.ContactId).toBe(result.contactId);
      expect(result.contactRecord.DisconnectReason).toBe(result.disconnectReason);
      expect(result.contactRecord.TransferredToEndpoint === null).toBe(
        (result.transfers ?? []).length === 0,
      );
    }
  });
});

describe('the every-path check', () => {
  /** Only the calls that reach the static fallback: an unknown number, a failed lookup. */
  const UNROUTED = ROUTE_CALL_ANSWERS.filter(({ label }) =>
    ['unknown number', 'function error'].includes(label),
  );

  it('finds and names the silent path when the static fallback fails straight to a hang-up', async () => {
    // The apology is gone: the static fallback's errors go straight to the hang-up.
    const broken = editedFlow((action, flow) => {
      for (const error of action('transfer-to-static-fallback').Transitions.Errors ?? []) {
        error.NextAction = 'disconnect';
      }
      flow.Actions = flow.Actions.filter((a) => a.Identifier !== 'play-apology');
      delete flow.Metadata.ActionMetadata['play-apology'];
    });
    // The wire format is fine: only the simulated calls show the caller left in silence.
    expect(validateFlow(broken)).toEqual([]);
    const problems = pathProblems((await enumerate(broken, UNROUTED)).paths, RULES).filter(
      (problem) => problem.rule === 'silence',
    );
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) {
      expect(problem.message).toMatch(
        /ends in silence after "transfer-to-static-fallback" \((CallFailed|ConnectionTimeLimitExceeded|NoMatchingError)\)/,
      );
      expect(problem.message).toContain('transfer-to-static-fallback [');
    }
    expect(new Set(problems.map((problem) => problem.path.choices.at(-1)))).toEqual(
      new Set([
        `${STATIC_FALLBACK}: no-answer`,
        `${STATIC_FALLBACK}: busy`,
        `${STATIC_FALLBACK}: fail`,
        'transfer-to-static-fallback: fault',
      ]),
    );
    // The same calls through the shipped flow hear the apology.
    const shippedProblems = pathProblems(
      (await enumerate(JSON.parse(inboundFlowText()), UNROUTED)).paths,
      RULES,
    );
    expect(shippedProblems.filter((problem) => problem.rule === 'silence')).toEqual([]);
  });

  it('finds the hang-up right after the disclosure, with no closing message', async () => {
    // A failed attribute update after the disclosure hangs up instead of going on to the hours.
    const broken = editedFlow((action) => {
      const errors = action('mark-recording-on').Transitions.Errors ?? [];
      expect(errors.map((e) => e.ErrorType)).toEqual(['NoMatchingError']);
      for (const error of errors) error.NextAction = 'disconnect';
    });
    expect(validateFlow(broken)).toEqual([]);
    const recorded = ROUTE_CALL_ANSWERS.filter(({ label }) =>
      label.includes('menu none, recorded, '),
    );
    expect(recorded).toHaveLength(6);
    const problems = pathProblems((await enumerate(broken, recorded)).paths, RULES);
    // Not silence by the old rule: a prompt did play right before the hang-up.
    expect(problems.filter((problem) => problem.rule === 'silence')).toEqual([]);
    const unclosed = problems.filter((problem) => problem.rule === 'no-closing-message');
    expect(unclosed.length).toBeGreaterThan(0);
    for (const problem of unclosed) {
      expect(problem.path.choices.at(-1)).toBe('mark-recording-on: fault');
      expect(problem.message).toContain(
        'the call hangs up after "play-recording-disclosure", which is not a closing message',
      );
      expect(problem.message).toContain(
        'play-recording-disclosure -> mark-recording-on [NoMatchingError] -> disconnect',
      );
    }
    // The shipped flow goes on to the hours check after the same fault: no such path.
    const shippedProblems = pathProblems(
      (await enumerate(JSON.parse(inboundFlowText()), recorded)).paths,
      RULES,
    );
    expect(shippedProblems.filter((problem) => problem.rule === 'no-closing-message')).toEqual([]);
  });

  it('finds recording that starts before the disclosure', async () => {
    // Recording first, then the disclosure.
    const broken = editedFlow((action) => {
      const check = action('check-recording-enabled').Transitions.Conditions?.[0];
      if (check) check.NextAction = 'mark-recording-on';
      action('enable-call-recording').Transitions.NextAction = 'play-recording-disclosure';
      action('play-recording-disclosure').Transitions.NextAction = 'check-open-hours';
    });
    expect(validateFlow(broken)).toEqual([]);
    const recorded = ROUTE_CALL_ANSWERS.filter(
      ({ label }) => label === 'found, queue fallback, menu none, recorded, open',
    );
    expect(recorded).toHaveLength(1);
    const problems = pathProblems((await enumerate(broken, recorded)).paths, RULES);
    const disclosure = problems.filter((problem) => problem.rule === 'disclosure');
    expect(disclosure.length).toBeGreaterThan(0);
    expect(disclosure[0]?.message).toContain(
      'recording starts at "enable-call-recording" (0 s) before the disclosure has played',
    );
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { validateFlow } from '../../lambdas/flow/language/index.js';
import { type CallEnumeration, pathProblems } from '../../lambdas/flow/simulator/index.js';
import { inboundFlowText, SAMPLE_PLACEHOLDER_VALUES } from './shipped-flow.js';
import {
  completed,
  editedFlow,
  enumerate,
  foundAnswers,
  QUEUE_PLAN,
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

// Some 37,000 simulated calls: about 20 s alone, longer beside other suites on two cores.
beforeAll(async () => {
  shipped = await enumerate(JSON.parse(inboundFlowText()));
}, 180_000);

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
    // `queued` (an agent answers) needs an available agent: every-path-staffing.test.ts.
    expect(Object.keys(outcomes).sort()).toEqual([
      'callback',
      'disconnected',
      'hung-up',
      'message-disconnect',
      'transferred',
      'voicemail',
    ]);
    expect(new Set(results.map((result) => result.endpoint))).toEqual(
      new Set([...(RULES.endpoints ?? []), 'none']),
    );
  });

  it('explores every combination of a found route', () => {
    const labels = new Set(foundAnswers.map(({ label }) => label));
    expect(labels.size).toBe(48);
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
    // The simulated caller hangs up after their message, as callers do: what follows the tone
    // (the caller staying on for the whole 180 s, or pressing #) is not simulated, nor a second
    // fault after a failed voicemail mark.
    const afterTheTone = [
      'play-voicemail-tone [next] -> stop-message-stream',
      'play-voicemail-tone [Equals #] -> stop-message-stream',
      'play-voicemail-tone [InputTimeLimitExceeded] -> stop-message-stream',
      'play-voicemail-tone [NoMatchingCondition] -> stop-message-stream',
      'stop-message-stream [NoMatchingError] -> thank-for-message',
      'thank-for-message [NoMatchingError] -> disconnect',
    ];
    expect(shipped.uncoveredEdges).toEqual([
      ...afterTheTone,
      'stop-message-stream-unmarked [NoMatchingError] -> play-apology',
    ]);
    // The customer queue flow: every offer, callback and message branch, the same tone aside.
    // (The whisper runs once an agent answers: agents available is in `npm run fuzz`, and the
    // whisper's branches in test/scenarios/inbound-call.test.ts.)
    const queueFlow = [shipped.flowCoverage[SAMPLE_PLACEHOLDER_VALUES.CustomerQueueFlowArn]];
    expect(Object.keys(shipped.flowCoverage)).toHaveLength(2);
    console.log(
      `every-path: customer queue flow ${(queueFlow[0]?.edges.length ?? 0) - (queueFlow[0]?.uncoveredEdges.length ?? 0)} of ${queueFlow[0]?.edges.length} edges covered`,
    );
    // Not chosen by the enumeration (yet): a wrong key at the offer, a caller number Connect cannot
    // dial back, and a second fault after a failed one.
    expect(queueFlow[0]?.uncoveredEdges.filter((edge) => !afterTheTone.includes(edge))).toEqual([
      'offer-choices [next] -> hold-until-offer',
      'offer-choices [NoMatchingCondition] -> hold-until-offer',
      'set-callback-number [InvalidCallbackNumber] -> say-callback-unavailable',
      'set-callback-number [CallbackNumberNotDialable] -> say-callback-unavailable',
      'say-callback-unavailable [NoMatchingError] -> start-message-stream',
      'stop-message-stream-unmarked [NoMatchingError] -> say-message-unavailable',
      'say-message-unavailable [NoMatchingError] -> disconnect',
    ]);
    // A successful hand-over to a queue ends the flow: its NextAction is never followed.
    // Nor is CheckHoursOfOperation's: its True and False cover every answer.
    expect(shipped.edgesNeverTaken).toEqual([
      'check-payments-queue-hours [next] -> check-payments-queue-staffing',
      'transfer-to-payments-queue [next] -> check-suspended-after-failed-payments',
      'check-fallback-queue-hours [next] -> check-fallback-queue-staffing',
      'transfer-to-fallback-queue [next] -> transfer-to-static-fallback',
    ]);
    expect(
      shipped.edgesTaken.size + shipped.edgesNeverTaken.length + shipped.uncoveredEdges.length,
    ).toBe(shipped.edges.length);
  });

  it('never queues a call on a queue nobody staffs', () => {
    const nobody = (queueArn: string) => `agents ${queueArn.split('/').at(-1)}: none`;
    // Queued: handed to the queue (an agent answered, or the customer queue flow ran).
    const queued = shipped.paths.filter((path) => path.ok && path.result.queue !== undefined);
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
    // Not vacuous: the worst case is a caller who waits through every hold of the queue flow.
    expect(seconds).toBeGreaterThan((QUEUE_PLAN.offerRounds + 1) * QUEUE_PLAN.offerAfterSeconds);
    expect(bound).toBeLessThanOrEqual(QUEUE_PLAN.maxWaitSeconds + 60 + 25 + 30 + 30);
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
      // The voicemail's own apology path hangs up too, so that the flow stays well formed.
      for (const a of flow.Actions) {
        if (a.Transitions.NextAction === 'play-apology') a.Transitions.NextAction = 'disconnect';
        for (const e of a.Transitions.Errors ?? []) {
          if (e.NextAction === 'play-apology') e.NextAction = 'disconnect';
        }
      }
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
    expect(recorded).toHaveLength(8);
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

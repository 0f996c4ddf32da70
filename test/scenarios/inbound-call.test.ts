import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFirstTimeCaller } from '../../lambdas/adapters/dynamodb/call-log-writer.js';
import { DEFAULT_ROUTE_BUDGET_MS } from '../../lambdas/contracts/environment.js';
import { CALL_LOG_TABLE } from '../../lambdas/contracts/tables.js';
import { PREVIEW_AGENT_WHISPER_FLOW_ARN } from '../../lambdas/flow/preview-names.js';
import type { SimulatedCall, ThirdPartyBehaviour } from '../../lambdas/flow/simulator/types.js';
import { LOCAL_CALL_LOG_TABLE_NAME, LOCAL_INSTANCE_ARN, localQueueArn } from '../../local/names.js';
import {
  type LocalCallOptions,
  type LocalCallResult,
  type LocalRoutingSystem,
  startLocalRoutingSystem,
} from '../../local/routing-system.js';
import { EXAMPLE_NUMBERS } from '../support/fixtures.js';

/**
 * Calls through the shipped inbound flow with the REAL route-call handler reading a dynalite
 * routing table filled from config/portfolio.yaml (the example portfolio).
 */

const {
  caller: CALLER,
  austinGoogle: AUSTIN_GOOGLE,
  austinRingTo: AUSTIN_RING_TO,
  austinPayments: AUSTIN_PAYMENTS,
  roundRockMain: ROUND_ROCK_MAIN,
  denverMain: DENVER_MAIN,
  denverFallback: DENVER_FALLBACK,
  staticFallback: STATIC_FALLBACK,
  unknown: UNKNOWN,
} = EXAMPLE_NUMBERS;
const AUSTIN_DISCLOSURE =
  'Thanks for calling Austin North Self Storage. This call may be recorded.';

/** Monday 23 November 2026, 10:00 in Chicago (every location open; Denver is at 09:00). */
const MONDAY_10AM = new Date('2026-11-23T10:00:00-06:00');
/** The same Monday at 21:00 in Chicago (20:00 in Denver): every location closed. */
const MONDAY_9PM = new Date('2026-11-23T21:00:00-06:00');

let system: LocalRoutingSystem;

beforeAll(async () => {
  system = await startLocalRoutingSystem();
});

afterAll(async () => {
  await system?.close();
});

const call = (
  dialed: string,
  at: Date,
  options: LocalCallOptions & { digits?: string } = {},
): Promise<LocalCallResult> => {
  const { digits, ...world } = options;
  const simulated: SimulatedCall = {
    dialed,
    caller: CALLER,
    at,
    ...(digits === undefined ? {} : { digits }),
  };
  return system.runCall(simulated, world);
};

/** The contact record's value at a path of keys. */
const field = (record: Record<string, unknown>, ...path: string[]): unknown =>
  path.reduce<unknown>(
    (node, key) =>
      node !== null && typeof node === 'object'
        ? (node as Record<string, unknown>)[key]
        : undefined,
    record,
  );

const epochOf = (value: unknown, name: string): number => {
  expect(typeof value, `${name} is a timestamp`).toBe('string');
  const epoch = Date.parse(value as string);
  expect(Number.isNaN(epoch), `${name} = ${String(value)} parses`).toBe(false);
  return epoch;
};

/** Initiation ≤ connected to system ≤ transfer completed ≤ disconnect, for those present. */
const expectTimestampsInOrder = (record: Record<string, unknown>, at: Date) => {
  const names = [
    'InitiationTimestamp',
    'ConnectedToSystemTimestamp',
    'TransferCompletedTimestamp',
    'DisconnectTimestamp',
  ];
  const present = names.filter((name) => record[name] !== undefined && record[name] !== null);
  expect(present).toContain('InitiationTimestamp');
  const epochs = present.map((name) => epochOf(record[name], name));
  expect(epochs[0]).toBe(at.getTime());
  for (let i = 1; i < epochs.length; i += 1) {
    expect(epochs[i], `${present[i]} is not before ${present[i - 1]}`).toBeGreaterThanOrEqual(
      epochs[i - 1] as number,
    );
  }
  return present;
};

const routeCallStatus = (result: LocalCallResult): string | undefined => {
  const invocation = result.invocations.find((i) => i.functionName === 'route-call');
  return invocation?.outcome?.kind === 'ok' ? String(invocation.outcome.result.status) : undefined;
};

const stepsOf = (result: LocalCallResult) => result.simulation.trace.map((s) => s.identifier);

describe('a tracking number of an open location', () => {
  let result: LocalCallResult;
  beforeAll(async () => {
    result = await call(AUSTIN_GOOGLE, MONDAY_10AM);
  });

  it("reaches the location's ring-to through the real route-call", () => {
    expect(routeCallStatus(result)).toBe('found');
    expect(result.simulation.outcome).toBe('transferred');
    expect(result.simulation.endpoint).toBe(AUSTIN_RING_TO);
    expect(result.transfers.map((t) => [t.number, t.behaviour])).toEqual([
      [AUSTIN_RING_TO, 'answer'],
    ]);
    // The ring-to rang for the location's own timeout, from the routing table.
    expect(result.transfers[0]?.timeoutSeconds).toBe(25);
  });

  it('carries the location and the ad source in its attributes', () => {
    expect(result.simulation.attributes).toMatchObject({
      status: 'found',
      locationId: 'austin-north',
      locationName: 'Austin North Self Storage',
      trackingId: 'austin-north-google',
      source: 'Google Ads',
      campaign: 'brand',
      ringTo: AUSTIN_RING_TO,
    });
  });

  it('plays the disclosure before the recording starts', () => {
    const { prompts, recording, trace } = result.simulation;
    expect(prompts[0]?.text).toBe(AUSTIN_DISCLOSURE);
    expect(recording[0]?.state).toBe('recording');
    expect(prompts[0]?.atSeconds).toBeLessThanOrEqual(recording[0]?.atSeconds ?? -1);
    const steps = trace.map((s) => s.identifier);
    expect(steps.indexOf('play-recording-disclosure')).toBeGreaterThanOrEqual(0);
    expect(steps.indexOf('play-recording-disclosure')).toBeLessThan(
      steps.indexOf('enable-call-recording'),
    );
  });

  it('writes a contact record with the transfer, the attributes and ordered timestamps', () => {
    const record = result.simulation.contactRecord;
    expect(field(record, 'TransferredToEndpoint')).toEqual({
      Address: AUSTIN_RING_TO,
      Type: 'TELEPHONE_NUMBER',
    });
    expect(field(record, 'SystemEndpoint', 'Address')).toBe(AUSTIN_GOOGLE);
    expect(field(record, 'CustomerEndpoint', 'Address')).toBe(CALLER);
    expect(field(record, 'InstanceARN')).toBe(LOCAL_INSTANCE_ARN);
    expect(field(record, 'Attributes')).toMatchObject({
      locationId: 'austin-north',
      source: 'Google Ads',
      trackingId: 'austin-north-google',
    });
    expect(expectTimestampsInOrder(record, MONDAY_10AM)).toContain('TransferCompletedTimestamp');
  });
});

describe('a number that is not in the routing table', () => {
  it('reaches the static fallback, without recording', async () => {
    const result = await call(UNKNOWN, MONDAY_10AM);
    expect(routeCallStatus(result)).toBe('unknown');
    expect(result.simulation.attributes.status).toBe('unknown');
    expect(result.simulation.outcome).toBe('transferred');
    expect(result.simulation.endpoint).toBe(STATIC_FALLBACK);
    expect(result.simulation.recording.filter((r) => r.state === 'recording')).toEqual([]);
    expect(field(result.simulation.contactRecord, 'TransferredToEndpoint', 'Address')).toBe(
      STATIC_FALLBACK,
    );
  });
});

describe("after hours: the location's own fallback", () => {
  it('austin-north hands the call to its queue', async () => {
    const result = await call(AUSTIN_GOOGLE, MONDAY_9PM);
    expect(result.simulation.attributes.open).toBe('false');
    expect(result.simulation.outcome).toBe('queued');
    expect(result.simulation.endpoint).toBe(localQueueArn('call-center'));
    expect(result.transfers).toEqual([]);
    expect(field(result.simulation.contactRecord, 'Queue', 'ARN')).toBe(
      localQueueArn('call-center'),
    );
    expectTimestampsInOrder(result.simulation.contactRecord, MONDAY_9PM);
  });

  it("round-rock takes a message in the system's own voicemail", async () => {
    const result = await call(ROUND_ROCK_MAIN, MONDAY_9PM);
    expect(result.simulation.attributes).toMatchObject({
      locationId: 'round-rock',
      open: 'false',
      fallbackType: 'voicemail',
      fallbackNumber: 'none',
      voicemail: 'recording',
    });
    expect(result.simulation.outcome).toBe('voicemail');
    expect(result.transfers).toEqual([]);
  });

  it('denver-central rings its fallback number, in its own time zone', async () => {
    const result = await call(DENVER_MAIN, MONDAY_9PM);
    expect(result.simulation.attributes).toMatchObject({
      locationId: 'denver-central',
      open: 'false',
    });
    expect(result.simulation.endpoint).toBe(DENVER_FALLBACK);
    // Denver does not record: no disclosure, no recording.
    expect(result.simulation.prompts).toEqual([]);
    expect(result.simulation.recording.filter((r) => r.state === 'recording')).toEqual([]);
  });

  it('the same Denver number rings the location at 10:00 Chicago (09:00 Denver)', async () => {
    const result = await call(DENVER_MAIN, MONDAY_10AM);
    expect(result.simulation.endpoint).toBe('+13035550121');
  });
});

describe('a ring-to that does not take the call', () => {
  it.each<ThirdPartyBehaviour>(['no-answer', 'busy', 'fail'])(
    'austin-north, ring-to %s: the queue fallback',
    async (ringTo) => {
      const result = await call(AUSTIN_GOOGLE, MONDAY_10AM, { ringTo });
      expect(result.transfers[0]).toMatchObject({ number: AUSTIN_RING_TO, behaviour: ringTo });
      expect(result.simulation.outcome).toBe('queued');
      expect(result.simulation.endpoint).toBe(localQueueArn('call-center'));
      expect(stepsOf(result)).toContain('check-fallback-type');
    },
  );

  it.each<ThirdPartyBehaviour>(['no-answer', 'busy'])(
    "round-rock, ring-to %s: the system's voicemail takes a message",
    async (ringTo) => {
      const result = await call(ROUND_ROCK_MAIN, MONDAY_10AM, { ringTo });
      expect(result.transfers.map((t) => [t.number, t.behaviour])).toEqual([
        ['+15125550111', ringTo],
      ]);
      expect(result.simulation.outcome).toBe('voicemail');
      expect(result.simulation.voicemail?.durationSeconds).toBeGreaterThan(0);
    },
  );

  it('and a queue at capacity: the static fallback', async () => {
    const result = await call(AUSTIN_GOOGLE, MONDAY_10AM, {
      ringTo: 'no-answer',
      queue: 'at-capacity',
    });
    expect(result.queueHandOvers).toEqual([
      { queueArn: localQueueArn('call-center'), behaviour: 'at-capacity' },
    ]);
    expect(result.simulation.endpoint).toBe(STATIC_FALLBACK);
  });
});

describe('route-call faults', () => {
  it('DynamoDB hanging: route-call answers "error" within its budget, the caller reaches the static fallback', async () => {
    const started = performance.now();
    const result = await call(AUSTIN_GOOGLE, MONDAY_10AM, { routeCall: 'dynamodb-hangs' });
    const wholeCallMs = performance.now() - started;

    const lookups = result.invocations.filter((i) => i.functionName === 'route-call');
    expect(lookups).toHaveLength(1);
    const lookup = lookups[0];
    // It really waited on the silent server (two attempts), and answered within its budget (and
    // a small margin for the answer itself).
    expect(lookup?.elapsedMs).toBeGreaterThan(1_000);
    expect(lookup?.elapsedMs).toBeLessThanOrEqual(DEFAULT_ROUTE_BUDGET_MS + 300);
    expect(lookup?.outcome).toMatchObject({ kind: 'ok', result: { status: 'error' } });
    expect(lookup?.logs.join('\n')).toMatch(/"status":"error"/);
    // The handler answered, so the flow took its success branch and routed on status.
    expect(result.simulation.trace.find((s) => s.identifier === 'lookup-route')?.branch).toBe(
      'next',
    );
    expect(result.simulation.attributes.status).toBe('error');
    expect(result.simulation.outcome).toBe('transferred');
    expect(result.simulation.endpoint).toBe(STATIC_FALLBACK);
    expect(wholeCallMs).toBeLessThan(3_000);
  });

  it('route-call failing as an invocation: the error branch, the static fallback', async () => {
    const result = await call(AUSTIN_GOOGLE, MONDAY_10AM, { routeCall: 'fail' });
    expect(result.invocations[0]?.outcome?.kind).toBe('error');
    expect(result.simulation.trace.find((s) => s.identifier === 'lookup-route')?.branch).not.toBe(
      'next',
    );
    expect(stepsOf(result)).not.toContain('save-route-answer');
    expect(result.simulation.endpoint).toBe(STATIC_FALLBACK);
  });

  it('the static fallback not answering either: an apology, then disconnect', async () => {
    const result = await call(UNKNOWN, MONDAY_10AM, { numbers: { [STATIC_FALLBACK]: 'fail' } });
    expect(result.simulation.outcome).toBe('message-disconnect');
    expect(result.simulation.prompts.at(-1)?.text).toMatch(/no one is available/);
  });
});

describe('the payments menu choice', () => {
  let result: LocalCallResult;
  beforeAll(async () => {
    result = await call(AUSTIN_GOOGLE, MONDAY_10AM, { digits: '2' });
  });

  it('suspends the recording while the payments number is connected, and resumes it after', () => {
    const { recording, trace } = result.simulation;
    expect(recording.map((r) => [r.state, r.by])).toEqual([
      ['recording', 'enable-call-recording'],
      ['suspended', 'suspend-recording-for-payments'],
      ['recording', 'resume-recording-after-payments'],
    ]);
    const transfer = trace.find((s) => s.identifier === 'transfer-to-payments-number');
    expect(transfer).toBeDefined();
    const [started, suspended, resumed] = recording.map((r) => r.atSeconds) as [
      number,
      number,
      number,
    ];
    expect(started).toBeLessThanOrEqual(suspended);
    expect(suspended).toBeLessThanOrEqual(transfer?.atSeconds ?? -1);
    expect(resumed).toBeGreaterThanOrEqual(transfer?.atSeconds ?? Number.POSITIVE_INFINITY);
    // The payments leg lies inside the suspended span.
    const steps = trace.map((s) => s.identifier);
    expect(steps.indexOf('suspend-recording-for-payments')).toBeLessThan(
      steps.indexOf('transfer-to-payments-number'),
    );
    expect(steps.indexOf('transfer-to-payments-number')).toBeLessThan(
      steps.indexOf('resume-recording-after-payments'),
    );
  });

  it('asks Connect to suspend and resume the IVR recording of this contact', () => {
    const contactId = String(field(result.simulation.contactRecord, 'ContactId'));
    expect(
      result.recordingRequests.map((r) => [r.command, r.contactRecordingType, r.contactId]),
    ).toEqual([
      ['SuspendContactRecording', 'IVR', contactId],
      ['ResumeContactRecording', 'IVR', contactId],
    ]);
  });

  it('connects the payments number, never the ring-to', () => {
    expect(result.transfers.map((t) => t.number)).toEqual([AUSTIN_PAYMENTS]);
    expect(field(result.simulation.contactRecord, 'TransferredToEndpoint', 'Address')).toBe(
      AUSTIN_PAYMENTS,
    );
    expectTimestampsInOrder(result.simulation.contactRecord, MONDAY_10AM);
  });

  it('refuses payments when the recording cannot be suspended, and rings the office instead', async () => {
    const refused = await call(AUSTIN_GOOGLE, MONDAY_10AM, {
      digits: '2',
      recordingControl: 'fail',
    });
    expect(refused.transfers.map((t) => t.number)).toEqual([AUSTIN_RING_TO]);
    expect(refused.simulation.recording.map((r) => r.state)).not.toContain('suspended');
    expect(refused.simulation.prompts.map((p) => p.text)).toContain(
      'Sorry, payments by phone are not available right now. Connecting you to the office.',
    );
  });
});

describe('a claimed tracking number', () => {
  it('answers locally at its stand-in and routes to its location', async () => {
    const standIn = system.standIns.find((s) => s.trackingId === 'denver-central-mailer');
    expect(standIn?.number).toMatch(/^\+1303555\d{4}$/);
    const result = await call(standIn?.number ?? 'missing', MONDAY_10AM);
    expect(result.simulation.attributes).toMatchObject({
      locationId: 'denver-central',
      trackingId: 'denver-central-mailer',
      source: 'Direct mail',
      campaign: 'spring-2027',
    });
    expect(result.simulation.endpoint).toBe('+13035550121');
  });
});

describe('an agent takes the call: the whisper says where it comes from, and who', () => {
  const REPEAT_CALLER = '+13035550111';
  let withLog: LocalRoutingSystem;

  beforeAll(async () => {
    // The same dynalite, with a call log in which REPEAT_CALLER already called austin-north.
    await system.dynamo.ensureTable(LOCAL_CALL_LOG_TABLE_NAME, CALL_LOG_TABLE);
    await recordFirstTimeCaller(system.dynamo.client, LOCAL_CALL_LOG_TABLE_NAME, {
      contactId: 'an-earlier-call',
      startedAt: '2026-11-20T15:00:00Z',
      locationId: 'austin-north',
      caller: REPEAT_CALLER,
    });
    withLog = await startLocalRoutingSystem({
      sharedDynamo: system.dynamo,
      writeRouting: false,
      callLogTableName: LOCAL_CALL_LOG_TABLE_NAME,
    });
  });

  afterAll(async () => {
    await withLog?.close();
  });

  const agentCall = (caller: string) =>
    withLog.runCall({ dialed: AUSTIN_GOOGLE, caller, at: MONDAY_9PM }, { agents: 'available' });

  it('plays the whisper to the agent only, then connects: a first-time caller is named as one', async () => {
    const result = await agentCall(CALLER);
    const { simulation } = result;

    expect(simulation.outcome).toBe('queued');
    expect(simulation.attributes).toMatchObject({
      locationName: 'Austin North Self Storage',
      firstTimeCaller: 'true',
    });
    const whisper = simulation.agentWhisper?.map((p) => p.text) ?? [];
    expect(whisper).toEqual([
      expect.stringMatching(/^Google Ads call for Austin North Self Storage[,.]/),
      'First-time caller.',
      // Austin North records: the agent is told before the caller is connected.
      'This call may be recorded.',
    ]);
    // The caller hears none of it; the whisper's steps run in its own flow, after the agent accepts.
    expect(simulation.prompts.map((p) => p.text)).not.toContain('First-time caller.');
    const whisperSteps = simulation.trace.filter((s) => s.flow === PREVIEW_AGENT_WHISPER_FLOW_ARN);
    expect(whisperSteps.at(-1)?.type).toBe('EndFlowExecution');
    expect(whisperSteps[0]?.atSeconds).toBe(simulation.queue?.answeredByAgentSeconds);
  });

  it('says nothing more for a caller the location logged before', async () => {
    const { simulation } = await agentCall(REPEAT_CALLER);

    expect(simulation.attributes.firstTimeCaller).toBe('false');
    expect(simulation.agentWhisper?.map((p) => p.text)).toEqual([
      expect.stringMatching(/^Google Ads call for Austin North Self Storage/),
      'This call may be recorded.',
    ]);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RoutingLookup } from '../../lambdas/adapters/dynamodb/routing-table-reader.js';
import type { RecordingCommand } from '../../lambdas/domain/contact-recording.js';
import {
  PREVIEW_INSTANCE_ARN,
  PREVIEW_RECORDING_CONTROL_ARN,
  PREVIEW_ROUTE_CALL_ARN,
} from '../../lambdas/flow/preview-names.js';
import {
  createPreviewWorld,
  type FlowFunction,
  runToEnd,
} from '../../lambdas/flow/preview-world.js';
import type { ContactFlowEvent } from '../../lambdas/flow/simulator/index.js';
import {
  recordingControlFunction,
  routeCallFunction,
} from '../../lambdas/use-cases/flow-functions.js';
import { routingEntry } from '../support/fixtures.js';

const RING_TO = '+15125550101';
const OTHER = '+15125550199';
const QUEUE = `${PREVIEW_INSTANCE_ARN}/queue/call-center`;
const TRACKING = '+15125550151';
/** Monday 10:00 in America/Chicago: the example location is open. */
const MONDAY_10AM = Date.parse('2026-11-23T16:00:00Z');

const event = (parameters: Record<string, string> = {}): ContactFlowEvent => ({
  Name: 'ContactFlowEvent',
  Details: {
    ContactData: {
      ContactId: 'contact-1',
      InitialContactId: 'contact-1',
      InstanceARN: PREVIEW_INSTANCE_ARN,
      SystemEndpoint: { Address: TRACKING, Type: 'TELEPHONE_NUMBER' },
      CustomerEndpoint: { Address: '+13035550187', Type: 'TELEPHONE_NUMBER' },
    },
    Parameters: parameters,
  },
});

const answering =
  (result: Record<string, string>, line?: string): FlowFunction =>
  async (_, log) => {
    if (line) log(line);
    return { kind: 'ok', result };
  };

const world = (options: Partial<Parameters<typeof createPreviewWorld>[0]> = {}) =>
  createPreviewWorld({
    routeCall: answering({ status: 'found' }, 'route-call line'),
    recordingControl: answering({ recording: 'suspended' }),
    ringToNumbers: [RING_TO],
    ...options,
  });

describe('createPreviewWorld', () => {
  it('runs route-call and recording-control under their preview ARNs', async () => {
    const preview = world();

    await expect(preview.invokeLambda(PREVIEW_ROUTE_CALL_ARN, event(), 3)).resolves.toEqual({
      kind: 'ok',
      result: { status: 'found' },
    });
    await expect(preview.invokeLambda(PREVIEW_RECORDING_CONTROL_ARN, event(), 3)).resolves.toEqual({
      kind: 'ok',
      result: { recording: 'suspended' },
    });
  });

  it('answers any other function with an error naming it and the ones it runs', async () => {
    const arn = 'arn:aws:lambda:us-east-1:111122223333:function:crm';

    const outcome = await world().invokeLambda(arn, event(), 3);

    expect(outcome).toEqual({
      kind: 'error',
      reason: expect.stringContaining(
        `no local function has the ARN ${arn} (local functions: ${PREVIEW_ROUTE_CALL_ARN}, ${PREVIEW_RECORDING_CONTROL_ARN};`,
      ),
    });
  });

  it('passes a function its log sink through invokeFunction, and drops the lines otherwise', async () => {
    const preview = world();
    const lines: string[] = [];

    await preview.invokeFunction(PREVIEW_ROUTE_CALL_ARN, event(), (line) => lines.push(line));
    await preview.invokeLambda(PREVIEW_ROUTE_CALL_ARN, event(), 3);

    expect(lines).toEqual(['route-call line']);
  });

  it('makes every function answer in no simulated time when instant', async () => {
    const instant = world({ instant: true });

    await expect(instant.invokeLambda(PREVIEW_ROUTE_CALL_ARN, event(), 3)).resolves.toMatchObject({
      elapsedMs: 0,
    });
    await expect(instant.invokeLambda('arn:unknown', event(), 3)).resolves.toMatchObject({
      kind: 'error',
      elapsedMs: 0,
    });
    await expect(
      world().invokeLambda(PREVIEW_ROUTE_CALL_ARN, event(), 3),
    ).resolves.not.toHaveProperty('elapsedMs');
  });

  it('answers transfers: ring-to lines per ringTo, other numbers per otherNumbers, numbers over both', () => {
    expect([world().thirdParty(RING_TO, 25), world().thirdParty(OTHER, 25)]).toEqual([
      'answer',
      'answer',
    ]);
    const busy = world({ ringTo: 'no-answer', otherNumbers: 'busy', numbers: { [OTHER]: 'fail' } });
    expect(busy.thirdParty(RING_TO, 25)).toBe('no-answer');
    expect(busy.thirdParty('+15125550177', 25)).toBe('busy');
    expect(busy.thirdParty(OTHER, 25)).toBe('fail');
  });

  it('queues a hand-over unless told otherwise by queue ARN, and keeps every hours open', () => {
    expect(world().queue(QUEUE)).toBe('queued');
    const full = world({ queue: 'fail', queues: { [QUEUE]: 'at-capacity' } });
    expect(full.queue(QUEUE)).toBe('at-capacity');
    expect(full.queue(`${PREVIEW_INSTANCE_ARN}/queue/other`)).toBe('fail');
    // An inherited key is no queue's behaviour.
    expect(full.queue('constructor')).toBe('fail');
    expect(world().isOpen()).toBe(true);
  });

  it('staffs every queue with an available agent unless told otherwise', () => {
    expect(world().agents(QUEUE)).toBe('available');
    expect(world({ agents: 'none' }).agents(QUEUE)).toBe('none');
  });
});

describe('runToEnd', () => {
  it("passes the handler's answer through, and turns a throw into an invocation error", async () => {
    await expect(runToEnd(async () => ({ a: '1' }), event())).resolves.toEqual({
      kind: 'ok',
      result: { a: '1' },
    });
    const failing = async () => {
      throw new RangeError('too far');
    };
    await expect(runToEnd(failing, event())).resolves.toEqual({
      kind: 'error',
      reason: 'the function failed: RangeError: too far',
    });
  });
});

describe('the flow functions', () => {
  afterEach(() => vi.restoreAllMocks());

  it('route-call answers from the lookup, its log line to the sink and not the console', async () => {
    const consoleLog = vi.spyOn(console, 'log').mockImplementation(() => {});
    const lookup: RoutingLookup = {
      lookup: async (number) =>
        number === TRACKING
          ? { kind: 'found', entry: routingEntry({ trackingNumber: TRACKING }), cacheHit: false }
          : { kind: 'unknown', cacheHit: false },
    };
    const lines: string[] = [];

    const outcome = await routeCallFunction({ lookup, now: () => MONDAY_10AM })(event(), (line) =>
      lines.push(line),
    );

    expect(outcome).toMatchObject({
      kind: 'ok',
      result: { status: 'found', trackingNumber: TRACKING, open: 'true' },
    });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ msg: 'route-call', status: 'found' });
    expect(consoleLog).not.toHaveBeenCalled();
  });

  it('recording-control sends Connect the command and says what the recording now is', async () => {
    const sent: RecordingCommand[] = [];
    const run = recordingControlFunction({ send: async (command) => void sent.push(command) });
    const lines: string[] = [];

    const outcome = await run(event({ action: 'suspend' }), (line) => lines.push(line));

    expect(outcome).toEqual({
      kind: 'ok',
      result: { recording: 'suspended' },
      recording: 'suspended',
    });
    expect(sent).toEqual([
      {
        name: 'SuspendContactRecording',
        input: {
          InstanceId: '00000000-0000-4000-8000-000000000000',
          ContactId: 'contact-1',
          InitialContactId: 'contact-1',
          ContactRecordingType: 'IVR',
        },
      },
    ]);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ action: 'suspend', outcome: 'suspended' });
  });

  it('recording-control refused by Connect is an invocation error that changes no recording', async () => {
    const run = recordingControlFunction({
      send: async () => {
        throw new Error('refused');
      },
    });

    const outcome = await run(event({ action: 'resume' }), () => {});

    expect(outcome).toEqual({
      kind: 'error',
      reason:
        'the function failed: RecordingControlFailedError: could not resume the call recording (Error: refused)',
    });
  });
});

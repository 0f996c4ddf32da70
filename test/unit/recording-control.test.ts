import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ConnectClient,
  InvalidRequestException,
  ResumeContactRecordingCommand,
  StopContactRecordingCommand,
  SuspendContactRecordingCommand,
} from '@aws-sdk/client-connect';
import type { ConnectContactFlowEvent, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  connectContactRecording,
  createRecordingClient,
  REQUEST_TIMEOUT_MS,
} from '../../lambdas/adapters/connect/contact-recording.js';
import { handler } from '../../lambdas/handlers/recording-control.js';
import {
  InvalidContactEventError,
  RecordingControlFailedError,
  recordingControl,
  UnknownRecordingActionError,
} from '../../lambdas/use-cases/recording-control.js';

const INSTANCE_ID = '11111111-2222-3333-4444-555555555555';
const CALLER = '+15551230000';
const DIALED = '+15125550100';

const contactEvent = (
  parameters: Record<string, string>,
  contact: Partial<ConnectContactFlowEvent['Details']['ContactData']> = {},
): ConnectContactFlowEvent => ({
  Name: 'ContactFlowEvent',
  Details: {
    ContactData: {
      Attributes: { locationId: 'austin' },
      Channel: 'VOICE',
      ContactId: 'contact-2',
      InitialContactId: 'contact-1',
      InitiationMethod: 'INBOUND',
      InstanceARN: `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE_ID}`,
      PreviousContactId: 'contact-1',
      Queue: null,
      CustomerEndpoint: { Address: CALLER, Type: 'TELEPHONE_NUMBER' },
      SystemEndpoint: { Address: DIALED, Type: 'TELEPHONE_NUMBER' },
      MediaStreams: { Customer: { Audio: null } },
      ...contact,
    } as ConnectContactFlowEvent['Details']['ContactData'],
    Parameters: { caller: CALLER, ...parameters },
  },
});

describe('recordingControl', () => {
  const connect = mockClient(ConnectClient);
  const log = vi.fn<(line: string) => void>();
  const control = recordingControl({
    connect: connectContactRecording(new ConnectClient({ region: 'us-east-1' })),
    log,
    clock: () => 1_000,
  });
  const logged = () => log.mock.calls.map(([line]) => JSON.parse(line) as Record<string, unknown>);

  // The mock patches every ConnectClient; the timeout test below needs a real one.
  afterAll(() => connect.restore());

  beforeEach(() => {
    connect.reset();
    log.mockClear();
    connect.on(SuspendContactRecordingCommand).resolves({});
    connect.on(ResumeContactRecordingCommand).resolves({});
    connect.on(StopContactRecordingCommand).resolves({});
  });

  const COMMANDS = [
    SuspendContactRecordingCommand,
    ResumeContactRecordingCommand,
    StopContactRecordingCommand,
  ] as const;

  it.each([
    ['suspend', SuspendContactRecordingCommand, 'suspended'],
    ['resume', ResumeContactRecordingCommand, 'resumed'],
    ['stop', StopContactRecordingCommand, 'stopped'],
  ] as const)('%s: acts on the IVR recording of the contact', async (action, command, outcome) => {
    // Act
    const answer = await control(contactEvent({ action }));

    // Assess
    expect(answer).toEqual({ recording: outcome });
    expect(connect).toHaveReceivedCommandExactlyOnceWith(command, {
      InstanceId: INSTANCE_ID,
      ContactId: 'contact-2',
      InitialContactId: 'contact-1',
      ContactRecordingType: 'IVR',
    });
    for (const other of COMMANDS.filter((c) => c !== command))
      expect(connect).not.toHaveReceivedCommand(other);
    expect(logged()).toEqual([
      {
        level: 'info',
        message: 'recording control',
        contactId: 'contact-2',
        action,
        outcome,
        durationMs: 0,
      },
    ]);
  });

  it('uses the contact as its own initial contact when the event leaves it out', async () => {
    await control(contactEvent({ action: 'suspend' }, { InitialContactId: '' }));

    expect(connect).toHaveReceivedCommandWith(SuspendContactRecordingCommand, {
      InitialContactId: 'contact-2',
    });
  });

  it.each([
    ['an unknown action', { action: 'pause' }, '"pause"'],
    ['no action', {}, '(a value of 0 characters)'],
  ])('throws on %s, without calling Connect', async (_, parameters, shown) => {
    await expect(control(contactEvent(parameters))).rejects.toThrowError(
      UnknownRecordingActionError,
    );
    expect(connect).not.toHaveReceivedAnyCommand();
    expect(logged()[0]).toMatchObject({
      level: 'error',
      action: shown,
      outcome: 'rejected',
    });
  });

  it('throws when the event names no instance', async () => {
    await expect(
      control(contactEvent({ action: 'suspend' }, { InstanceARN: '' })),
    ).rejects.toThrowError(InvalidContactEventError);
    expect(connect).not.toHaveReceivedAnyCommand();
  });

  it('throws when Connect refuses, so the flow takes its error branch', async () => {
    // Prepare
    connect
      .on(SuspendContactRecordingCommand)
      .rejects(new InvalidRequestException({ message: 'not recording', $metadata: {} }));

    // Act
    const result = control(contactEvent({ action: 'suspend' }));

    // Assess
    await expect(result).rejects.toThrowError(RecordingControlFailedError);
    await expect(result).rejects.toThrowError(
      'could not suspend the call recording (InvalidRequestException: not recording)',
    );
    expect(logged()).toEqual([
      expect.objectContaining({
        level: 'error',
        contactId: 'contact-2',
        action: 'suspend',
        outcome: 'failed',
        error: 'InvalidRequestException',
      }),
    ]);
  });

  it('never logs the caller or the dialed number', async () => {
    connect.on(ResumeContactRecordingCommand).rejects(new Error('boom'));

    await control(contactEvent({ action: 'suspend' }));
    await control(contactEvent({ action: 'resume' })).catch(() => {});
    await expect(control(contactEvent({ action: CALLER }))).rejects.toThrowError(
      'unknown recording action (a value of 12 characters): set the parameter "action"',
    );

    const lines = log.mock.calls.map(([line]) => line).join('\n');
    expect(log).toHaveBeenCalledTimes(3);
    expect(lines).not.toContain(CALLER.slice(1));
    expect(lines).not.toContain(DIALED.slice(1));
  });

  it('is exported as a middy handler returning a flat string map', async () => {
    const consoleLog = vi.spyOn(console, 'log').mockImplementation(() => {});

    const answer = await handler(contactEvent({ action: 'resume' }), {} as Context);

    expect(answer).toEqual({ recording: 'resumed' });
    expect(connect).toHaveReceivedCommandTimes(ResumeContactRecordingCommand, 1);
    expect(consoleLog).toHaveBeenCalledTimes(1);
    consoleLog.mockRestore();
  });
});

describe('createRecordingClient against a Connect endpoint that hangs', () => {
  let requests = 0;
  const server: Server = createServer(() => {
    requests += 1; // never answers
  });
  let endpoint: string;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('gives up after two timed-out attempts, well inside the flow wait', async () => {
    // Prepare
    const client = createRecordingClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const control = recordingControl({ connect: connectContactRecording(client), log: () => {} });
    const started = Date.now();

    // Act
    const result = control(contactEvent({ action: 'suspend' }));

    // Assess
    await expect(result).rejects.toThrowError(
      /could not suspend the call recording \(TimeoutError/,
    );
    const elapsed = Date.now() - started;
    expect(requests).toBe(2);
    expect(elapsed).toBeGreaterThanOrEqual(2 * REQUEST_TIMEOUT_MS - 100);
    expect(elapsed).toBeLessThan(5_000);
    client.destroy();
  });
});

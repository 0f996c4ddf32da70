import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { routingKey, toRoutingItem } from '../../lambdas/adapters/dynamodb/routing-items.js';
import { DEFAULT_ROUTE_BUDGET_MS } from '../../lambdas/contracts/environment.js';
import { parsePortfolio } from '../../lambdas/domain/portfolio/parse.js';
import type { Portfolio } from '../../lambdas/domain/portfolio/schema.js';
import type { RoutingEntry } from '../../lambdas/domain/route.js';
import { findPlaceholders } from '../../lambdas/flow/language/index.js';
import { loadPortfolio } from '../../lib/config/load-portfolio.js';
import { localInboundFlowText } from '../../local/flow.js';
import {
  LOCAL_RECORDING_CONTROL_ARN,
  LOCAL_ROUTE_CALL_ARN,
  localStandIns,
} from '../../local/names.js';
import { DEFAULT_PORTFOLIO_PATH, startLocalRoutingSystem } from '../../local/routing-system.js';
import { startSilentServer } from '../../local/silent-server.js';

const MONDAY_10AM = new Date('2026-11-23T10:00:00-06:00');
const CRM = 'arn:aws:lambda:us-east-1:111122223333:function:crm-lookup';

/** A small flow that asks the CRM function, then says the tier it gave, or nothing on error. */
const crmFlow = (responseType: 'STRING_MAP' | 'JSON') => ({
  Version: '2019-10-30',
  StartAction: 'crm',
  Actions: [
    {
      Identifier: 'crm',
      Type: 'InvokeLambdaFunction',
      Parameters: {
        LambdaFunctionARN: CRM,
        InvocationTimeLimitSeconds: '3',
        InvocationType: 'SYNCHRONOUS',
        ResponseValidation: { ResponseType: responseType },
      },
      Transitions: {
        NextAction: 'say-tier',
        Errors: [{ NextAction: 'bye', ErrorType: 'NoMatchingError' }],
      },
    },
    {
      Identifier: 'say-tier',
      Type: 'MessageParticipant',
      Parameters: { Text: 'Tier $.External.tier.' },
      Transitions: {
        NextAction: 'bye',
        Errors: [{ NextAction: 'bye', ErrorType: 'NoMatchingError' }],
      },
    },
    { Identifier: 'bye', Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} },
  ],
});

const exampleRaw = (): Record<string, any> =>
  parse(readFileSync(DEFAULT_PORTFOLIO_PATH, 'utf8')) as Record<string, any>;

/** The example portfolio with `change` applied to its raw form, validated as synth does. */
const examplePortfolioWith = (change: (raw: Record<string, any>) => void): Portfolio => {
  const raw = exampleRaw();
  change(raw);
  return parsePortfolio(raw, 'test portfolio');
};

const claim = (id: string, claimed: Record<string, string>) => ({
  id,
  location: 'denver-central',
  source: 'Test',
  claim: claimed,
});

/** Every number the portfolio writes down. */
const numbersIn = (portfolio: Portfolio): string[] =>
  JSON.stringify(portfolio).match(/\+\d{6,15}/g) ?? [];

describe('local stand-ins for claimed numbers', () => {
  it('give the example claim (+1303) a 303-555-01xx number, the same every time', () => {
    const portfolio = loadPortfolio(DEFAULT_PORTFOLIO_PATH);
    expect(localStandIns(portfolio)).toEqual([
      { trackingId: 'denver-central-mailer', number: '+13035550199' },
    ]);
    expect(localStandIns(portfolio)).toEqual(localStandIns(portfolio));
  });

  it('skip every number the portfolio uses and every stand-in given before', () => {
    const portfolio = examplePortfolioWith((raw) => {
      raw.locations[2].fallback.number = '+13035550199';
      raw.locations[2].publishedNumbers.push('+13035550198');
      raw.trackingNumbers.push(
        claim('second-mailer', { country: 'US', type: 'DID', prefix: '+1303' }),
      );
    });
    const standIns = localStandIns(portfolio);
    expect(standIns).toEqual([
      { trackingId: 'denver-central-mailer', number: '+13035550197' },
      { trackingId: 'second-mailer', number: '+13035550196' },
    ]);
    const used = new Set(numbersIn(portfolio));
    for (const { number } of standIns) expect(used.has(number)).toBe(false);
  });

  it('fill what the prefix leaves open: no prefix, a full exchange, toll-free', () => {
    const portfolio = examplePortfolioWith((raw) => {
      raw.trackingNumbers.push(
        claim('no-prefix', { country: 'US', type: 'DID' }),
        claim('exchange', { country: 'US', type: 'DID', prefix: '+1720555' }),
        claim('toll-free', { country: 'US', type: 'TOLL_FREE', prefix: '+1' }),
        claim('nine-digits', { country: 'US', type: 'DID', prefix: '+1512555019' }),
      );
    });
    expect(
      Object.fromEntries(localStandIns(portfolio).map((s) => [s.trackingId, s.number])),
    ).toEqual({
      'denver-central-mailer': '+13035550199',
      // +15125550199 is the static fallback.
      'no-prefix': '+15125550198',
      exchange: '+17205550199',
      'toll-free': '+18005550199',
      // 99 is the static fallback and 98 went to no-prefix, just before.
      'nine-digits': '+15125550197',
    });
  });

  it('say which claim needs a prefix when the country has none known', () => {
    const portfolio = examplePortfolioWith((raw) => {
      raw.trackingNumbers.push(claim('london', { country: 'GB', type: 'DID' }));
    });
    expect(() => localStandIns(portfolio)).toThrow(/london.*GB needs a "prefix"/);
  });
});

describe('the local inbound flow', () => {
  it('has every placeholder filled with a local ARN or the static fallback', () => {
    const portfolio = loadPortfolio(DEFAULT_PORTFOLIO_PATH);
    const text = localInboundFlowText(portfolio);
    expect(findPlaceholders(text)).toEqual([]);
    expect(text).toContain(`"LambdaFunctionARN": "${LOCAL_ROUTE_CALL_ARN}"`);
    expect(text).toContain(`"LambdaFunctionARN": "${LOCAL_RECORDING_CONTROL_ARN}"`);
    expect(text).toContain('"ThirdPartyPhoneNumber": "+15125550199"');
  });
});

describe('the local world', () => {
  let system: Awaited<ReturnType<typeof startLocalRoutingSystem>>;
  beforeAll(async () => {
    system = await startLocalRoutingSystem();
  });
  afterAll(async () => {
    await system?.close();
  });

  const event = (parameters: Record<string, string>) => ({
    Name: 'ContactFlowEvent' as const,
    Details: {
      ContactData: {
        ContactId: 'c-1',
        InitialContactId: 'c-1',
        InstanceARN: 'arn:aws:connect:us-east-1:000000000000:instance/i-1',
        SystemEndpoint: { Address: '+15125550151', Type: 'TELEPHONE_NUMBER' },
        CustomerEndpoint: { Address: '+15125559876', Type: 'TELEPHONE_NUMBER' },
      },
      Parameters: parameters,
    },
  });

  it('writes one routing item per tracking number, owned by the portfolio', async () => {
    expect(system.entries).toHaveLength(8);
    const item = await system.dynamo.client.send(
      new GetItemCommand({ TableName: system.tableName, Key: routingKey('+13035550199') }),
    );
    expect(item.Item?.trackingId?.S).toBe('denver-central-mailer');
    expect(item.Item?.owner?.S).toBe('portfolio');
  });

  it('answers an unknown function ARN with an error outcome', async () => {
    const world = await system.createWorld();
    const outcome = await world.invokeLambda(
      'arn:aws:lambda:us-east-1:000000000000:function:nope',
      event({}),
      3,
    );
    await world.close();
    expect(outcome).toMatchObject({ kind: 'error', reason: expect.stringMatching(/nope/) });
    expect(world.invocations[0]?.functionName).toBe('unknown');
  });

  it('runs the real recording-control: an unknown action is an error, suspend is recorded', async () => {
    const world = await system.createWorld();
    const bad = await world.invokeLambda(
      LOCAL_RECORDING_CONTROL_ARN,
      event({ action: 'pause' }),
      4,
    );
    const good = await world.invokeLambda(
      LOCAL_RECORDING_CONTROL_ARN,
      event({ action: 'suspend' }),
      4,
    );
    const resumed = await world.invokeLambda(
      LOCAL_RECORDING_CONTROL_ARN,
      event({ action: 'resume' }),
      4,
    );
    await world.close();
    expect(bad).toMatchObject({
      kind: 'error',
      reason: expect.stringMatching(/UnknownRecordingAction/),
    });
    // What the Connect stand-in saw is what the outcome tells the simulator about the recording.
    expect(good).toEqual({
      kind: 'ok',
      result: { recording: 'suspended' },
      recording: 'suspended',
    });
    expect(resumed).toEqual({ kind: 'ok', result: { recording: 'resumed' }, recording: 'resumed' });
    expect(world.recordingRequests).toEqual([
      {
        command: 'SuspendContactRecording',
        contactId: 'c-1',
        instanceId: 'i-1',
        contactRecordingType: 'IVR',
        succeeded: true,
      },
      {
        command: 'ResumeContactRecording',
        contactId: 'c-1',
        instanceId: 'i-1',
        contactRecordingType: 'IVR',
        succeeded: true,
      },
    ]);
  });

  it('tells the simulator nothing about the recording when Connect refused the request', async () => {
    const world = await system.createWorld({ recordingControl: 'fail' });
    const outcome = await world.invokeLambda(
      LOCAL_RECORDING_CONTROL_ARN,
      event({ action: 'suspend' }),
      4,
    );
    await world.close();
    expect(outcome).not.toHaveProperty('recording');
    expect(world.recordingRequests.map((r) => r.succeeded)).toEqual([false]);
  });

  it("passes a function's answer through as it is: the simulator checks it", async () => {
    const world = await system.createWorld({ lambdas: { [CRM]: { tier: 1 } } });
    const outcome = await world.invokeLambda(CRM, event({}), 3);
    await world.close();
    expect(outcome).toEqual({ kind: 'ok', result: { tier: 1 } });
  });

  it('a STRING_MAP answer that is not one: the Error branch, said by the simulator', async () => {
    const result = await system.runCall(
      { dialed: '+15125550151', caller: '+15125559876', at: MONDAY_10AM },
      { flow: crmFlow('STRING_MAP'), lambdas: { [CRM]: { tier: 1 } } },
    );
    const step = result.simulation.trace.find((s) => s.identifier === 'crm');
    expect(step?.branch).toBe('NoMatchingError');
    expect(step?.note).toMatch(/STRING_MAP response: "tier" is 1, not a string/);
  });

  it('a JSON answer: the flow reads it from $.External', async () => {
    const result = await system.runCall(
      { dialed: '+15125550151', caller: '+15125559876', at: MONDAY_10AM },
      { flow: crmFlow('JSON'), lambdas: { [CRM]: { tier: 'gold', visits: 3 } } },
    );
    expect(result.simulation.trace.find((s) => s.identifier === 'crm')?.branch).toBe('next');
    expect(result.simulation.prompts.map((p) => p.text)).toEqual(['Tier gold.']);
  });

  it('route-call past its time limit: the simulator takes the Error branch; close() waits for the run to end', async () => {
    // The lookup's limit lowered to 1 s: route-call over a hanging DynamoDB answers at its 1.5 s budget.
    const flow = JSON.parse(
      localInboundFlowText(system.portfolio).replace(
        '"InvocationTimeLimitSeconds": "3"',
        '"InvocationTimeLimitSeconds": "1"',
      ),
    ) as unknown;
    const started = performance.now();
    const result = await system.runCall(
      { dialed: '+15125550151', caller: '+15125559876', at: MONDAY_10AM },
      { flow, routeCall: 'dynamodb-hangs' },
    );
    const elapsed = performance.now() - started;
    const lookup = result.simulation.trace.find((s) => s.identifier === 'lookup-route');
    expect(lookup?.branch).toBe('NoMatchingError');
    expect(lookup?.note).toMatch(/did not answer within InvocationTimeLimitSeconds \(1 s\)/);
    expect(result.simulation.endpoint).toBe('+15125550199');
    // runCall closed the world, which waited for route-call: its own answer and log are there.
    const [invocation] = result.invocations;
    expect(invocation?.timeLimitSeconds).toBe(1);
    expect(invocation?.outcome).toMatchObject({ kind: 'ok', result: { status: 'error' } });
    expect(invocation?.elapsedMs).toBeGreaterThan(1_000);
    expect(invocation?.logs.join('\n')).toMatch(/"status":"error".*exceeded/);
    expect(result.stillRunning).toEqual([]);
    expect(elapsed).toBeLessThan(DEFAULT_ROUTE_BUDGET_MS + 500);
  });

  it('close() waits at most its grace for a run still going, says which, and closes anyway', async () => {
    // Over a hanging DynamoDB with a 10 s budget, route-call would answer only after 10 s.
    const world = await system.createWorld({
      routeCall: 'dynamodb-hangs',
      budgetMs: 10_000,
      closeGraceMs: 300,
    });
    const running = world.invokeLambda(LOCAL_ROUTE_CALL_ARN, event({}), 3);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    const { stillRunning } = await world.close();
    const closing = performance.now() - started;
    expect(closing).toBeGreaterThanOrEqual(250);
    expect(closing).toBeLessThan(1_000);
    expect(stillRunning.map((i) => i.functionName)).toEqual(['route-call']);
    // With its client destroyed the run ends soon after; it stays reported as still running.
    await running;
    expect(world.invocations[0]?.outcome).toBeUndefined();
    expect(world.invocations[0]?.elapsedMs).toBeUndefined();
  });

  it('behaves per number and per queue as configured', async () => {
    const world = await system.createWorld({
      ringTo: 'busy',
      numbers: { '+15125550190': 'no-answer' },
      queues: { 'call-center': 'at-capacity' },
    });
    await world.close();
    expect(world.thirdParty('+15125550101', 25)).toBe('busy');
    expect(world.thirdParty('+13035550121', 25)).toBe('busy');
    expect(world.thirdParty('+15125550190', 30)).toBe('no-answer');
    expect(world.thirdParty('+15125550199', 30)).toBe('answer');
    expect(
      world.queue(
        'arn:aws:connect:us-east-1:000000000000:instance/00000000-0000-4000-8000-000000000000/queue/call-center',
      ),
    ).toBe('at-capacity');
    expect(world.queue('arn:aws:connect:us-east-1:000000000000:instance/x/queue/constructor')).toBe(
      'queued',
    );
  });
});

describe('the silent server', () => {
  it('accepts a connection, never answers, and closes with the connection open', async () => {
    const server = await startSilentServer();
    const controller = new AbortController();
    const request = fetch(server.endpoint, { signal: controller.signal }).then(
      () => 'answered',
      () => 'no answer',
    );
    const raced = await Promise.race([
      request,
      new Promise((resolve) => setTimeout(() => resolve('still waiting'), 300)),
    ]);
    expect(raced).toBe('still waiting');
    expect(server.connectionsAccepted()).toBe(1);
    await server.close();
    controller.abort();
    expect(await request).toBe('no answer');
  });
});

describe('a persisted routing table', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'local-routing-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps API entries and drops the portfolio entries the file no longer declares', async () => {
    const path = join(dir, 'data');
    const first = await startLocalRoutingSystem({ dynamo: { path } });
    try {
      const base = first.entries[0];
      if (!base) throw new Error('the example portfolio has no entries');
      const apiEntry: RoutingEntry = {
        ...base,
        trackingNumber: '+15125550177',
        trackingId: 'api-added',
        owner: 'api',
      };
      await first.dynamo.client.send(
        new PutItemCommand({
          TableName: first.tableName,
          Item: toRoutingItem(apiEntry, new Date().toISOString()),
        }),
      );
    } finally {
      await first.close();
    }

    const raw = exampleRaw();
    raw.trackingNumbers = raw.trackingNumbers.filter(
      (t: { id: string }) => t.id !== 'austin-north-yelp',
    );
    const portfolioPath = join(dir, 'portfolio.yaml');
    await writeFile(portfolioPath, stringify(raw));
    const second = await startLocalRoutingSystem({ dynamo: { path }, portfolioPath });
    try {
      const get = (number: string) =>
        second.dynamo.client.send(
          new GetItemCommand({ TableName: second.tableName, Key: routingKey(number) }),
        );
      expect((await get('+15125550152')).Item).toBeUndefined();
      expect((await get('+15125550177')).Item?.owner?.S).toBe('api');
      expect((await get('+15125550151')).Item?.owner?.S).toBe('portfolio');
      expect(second.dynamo.storage).toBe(path);
    } finally {
      await second.close();
    }
  });
});

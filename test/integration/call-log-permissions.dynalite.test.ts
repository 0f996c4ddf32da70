import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCallLogReader } from '../../lambdas/adapters/dynamodb/call-log-reader.js';
import { updateLead } from '../../lambdas/adapters/dynamodb/call-log-writer.js';
import { parseSummaryQuery } from '../../lambdas/domain/api-query.js';
import { type LocalRoutingSystem, startLocalRoutingSystem } from '../../local/routing-system.js';
import { replayRecords } from '../reliability/records.js';
import { type LocalDynamo, startDynalite } from '../support/dynalite.js';
import { newIngestion } from '../support/ingestion.js';
import { synthApp } from '../support/synth.js';

/**
 * What the code sends to the call-log table, against what the deployed roles allow on it: dynalite
 * checks no IAM, so a new request kind (a BatchGetItem of a batched settle) would pass every local
 * test and be denied in AWS. Each writer runs for real here, its requests recorded, and every
 * action must be in its function's role.
 */

let system: LocalRoutingSystem;
let dynamo: LocalDynamo;
let templates: ReturnType<typeof synthApp>;

beforeAll(async () => {
  [system, dynamo] = await Promise.all([startLocalRoutingSystem(), startDynalite()]);
  templates = synthApp();
}, 120_000);

afterAll(async () => {
  await Promise.all([system?.close(), dynamo?.close()]);
});

/** The IAM actions of the requests `client` sends while `run` runs (GetItemCommand → dynamodb:GetItem). */
const actionsSent = async (client: DynamoDBClient, run: () => Promise<unknown>) => {
  const actions = new Set<string>();
  const name = `recordActions${Math.random()}`;
  client.middlewareStack.add(
    (next, context) => (args) => {
      actions.add(`dynamodb:${String(context.commandName).replace(/Command$/, '')}`);
      return next(args);
    },
    { step: 'initialize', name },
  );
  try {
    await run();
  } finally {
    client.middlewareStack.remove(name);
  }
  return [...actions].sort();
};

/** The DynamoDB actions the role of the function described by `description` has on the call log. */
const callLogActions = (template: ReturnType<typeof synthApp>['api'], description: RegExp) => {
  const functions = Object.values(template.findResources('AWS::Lambda::Function'));
  const fn = functions.find((f) => description.test(f.Properties.Description ?? ''));
  const roleId = fn?.Properties.Role['Fn::GetAtt'][0];
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement)
    .filter((s) => JSON.stringify(s.Resource).includes('CallLogTable'))
    .flatMap((s) => [s.Action].flat());
};

describe('the call-log requests each function sends are the ones its role allows', () => {
  it('the ingest: a batch of records with a displaced first call and a moved call', async () => {
    const log = await newIngestion(dynamo);
    const records = await replayRecords(system);
    const sent = await actionsSent(dynamo.client, () => log.ingest(records));
    expect(sent).toContain('dynamodb:BatchGetItem');
    const granted = callLogActions(templates.telephony, /Turns contact trace records/);
    expect(granted).toEqual(expect.arrayContaining(sent));
  });

  it('the admin API: a lead update settles the call, month row included', async () => {
    const log = await newIngestion(dynamo);
    await log.ingest(await replayRecords(system));
    const sent = await actionsSent(dynamo.client, () =>
      updateLead(dynamo.client, log.tableName, 'x-early', { leadStatus: 'rented', value: 120 }),
    );
    expect(sent).toContain('dynamodb:BatchWriteItem');
    const granted = callLogActions(templates.api, /reporting and management API/);
    expect(granted).toEqual(expect.arrayContaining(sent));
  });

  it('the read-only API: a year of reports reads with Query alone', async () => {
    const log = await newIngestion(dynamo);
    await log.ingest(await replayRecords(system));
    const reader = createCallLogReader({ client: dynamo.client, tableName: log.tableName });
    const query = parseSummaryQuery(
      { groupBy: 'location', from: '2025-11-24', to: '2026-11-23' },
      Date.parse('2026-11-23T12:00:00Z'),
    );
    const sent = await actionsSent(dynamo.client, () =>
      reader.readRollups(query.days, { wholeMonths: true }),
    );
    const granted = callLogActions(templates.api, /read routes .* read-only/);
    expect(granted).toEqual(expect.arrayContaining(sent));
    expect(granted).not.toContain('dynamodb:BatchWriteItem');
  });
});

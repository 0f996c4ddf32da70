import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { KinesisStreamEvent } from 'aws-lambda';
import { expect } from 'vitest';
import type { Log } from '../../lambdas/adapters/json-log.js';
import { CALL_LOG_TABLE } from '../../lambdas/contracts/tables.js';
import type { MalformedRecord } from '../../lambdas/domain/malformed-record.js';
import { createIngest } from '../../lambdas/use-cases/ingest-contact-records.js';
import type { LocalCallOptions, LocalRoutingSystem } from '../../local/routing-system.js';
import type { LocalDynamo } from './dynalite.js';
import { kinesisRecord, TEST_CALLER_HASH_KEY } from './fixtures.js';

/**
 * The ingest on dynalite for integration tests: contact records of calls run through the shipped
 * inbound flow, the real route-call handler and config/portfolio.yaml (local/), delivered as
 * Kinesis delivers them, to a fresh call log table.
 */

export type Ctr = Record<string, unknown>;

export interface SimulatedContact {
  readonly contactId: string;
  readonly dialed: string;
  readonly caller: string;
  readonly at: Date;
}

/** Runs a call through the local system; its contact record, through JSON as Kinesis carries it. */
export const ctrOf = async (
  system: LocalRoutingSystem,
  { contactId, dialed, caller, at }: SimulatedContact,
  options?: LocalCallOptions,
): Promise<Ctr> => {
  const result = await system.runCall({ contactId, dialed, caller, at }, options);
  return JSON.parse(JSON.stringify(result.simulation.contactRecord)) as Ctr;
};

/** `record` as a later (or, with a negative delta, earlier) version, with `extra` fields. */
export const withLastUpdate = (record: Ctr, deltaMs: number, extra: Ctr = {}): Ctr => ({
  ...record,
  ...extra,
  LastUpdateTimestamp: new Date(
    Date.parse(String(record.LastUpdateTimestamp)) + deltaMs,
  ).toISOString(),
});

/** The missed call `record` (no agent in the queue) as its later record: an agent took it. */
export const agentTookIt = (record: Ctr): Ctr =>
  withLastUpdate(record, 180_000, {
    Agent: { ConnectedToAgentTimestamp: record.InitiationTimestamp },
    DisconnectTimestamp: new Date(
      Date.parse(String(record.DisconnectTimestamp)) + 120_000,
    ).toISOString(),
  });

/** `record` as its later record once the voicemail work stored the caller's message. */
export const messageLeft = (record: Ctr, key: string, seconds: number): Ctr =>
  withLastUpdate(record, 90_000, {
    Attributes: {
      ...(record.Attributes as Record<string, string>),
      voicemail: 'left',
      voicemailKey: key,
      voicemailDurationSeconds: String(seconds),
    },
  });

/** `record` as its later record once the caller pressed 1 for a callback in the queue. */
export const callbackRequested = (record: Ctr): Ctr =>
  withLastUpdate(record, 60_000, {
    Attributes: { ...(record.Attributes as Record<string, string>), callback: 'requested' },
  });

/**
 * The contact Connect creates for the queued callback of `record`: its own contact id, linked by
 * PreviousContactId, InitiationMethod CALLBACK, the same attributes; `agentAt` when an agent took it.
 */
export const callbackContact = (record: Ctr, contactId: string, agentAt?: string): Ctr => {
  const at = new Date(Date.parse(String(record.DisconnectTimestamp)) + 600_000).toISOString();
  return {
    ...record,
    ContactId: contactId,
    InitialContactId: record.ContactId,
    PreviousContactId: record.ContactId,
    InitiationMethod: 'CALLBACK',
    InitiationTimestamp: at,
    DisconnectTimestamp: new Date(Date.parse(at) + 240_000).toISOString(),
    LastUpdateTimestamp: new Date(Date.parse(at) + 300_000).toISOString(),
    TransferredToEndpoint: null,
    TransferCompletedTimestamp: null,
    Agent: agentAt === undefined ? null : { ConnectedToAgentTimestamp: agentAt },
  };
};

let sequence = 0;
/** One Kinesis batch of `records`, partitioned by contact id as Connect streams them. */
export const kinesisEvent = (records: readonly Ctr[]): KinesisStreamEvent => ({
  Records: records.map((record) => {
    sequence += 1;
    const data = Buffer.from(JSON.stringify(record)).toString('base64');
    return kinesisRecord(String(sequence), data, String(record.ContactId));
  }),
});

export type Item = Record<string, unknown>;

export interface Ingestion {
  readonly tableName: string;
  /** Ingests one batch; every record must be stored (no failure, nothing malformed). */
  ingest(records: readonly Ctr[]): Promise<void>;
  /** Every item, sorted by pk then sk. */
  scan(): Promise<Item[]>;
  call(contactId: string): Promise<Item | undefined>;
}

let tables = 0;

/** A fresh call log table on `dynamo` and an ingest writing to it. */
export const newIngestion = async (dynamo: LocalDynamo): Promise<Ingestion> => {
  tables += 1;
  const tableName = `call-log-${tables}`;
  await dynamo.createTable(tableName, CALL_LOG_TABLE);
  const malformed: MalformedRecord[] = [];
  const log: Log = () => {};
  const ingest = createIngest({
    client: dynamo.client,
    tableName,
    log,
    callerHashKey: TEST_CALLER_HASH_KEY,
    reportMalformed: (record) => {
      malformed.push(record);
    },
  });
  const scan = async () => {
    const items: Item[] = [];
    let start: Record<string, never> | undefined;
    do {
      const page = await dynamo.client.send(
        new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }),
      );
      items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
      start = page.LastEvaluatedKey as Record<string, never> | undefined;
    } while (start);
    return items.sort((a, b) =>
      `${a.pk}|${a.sk}`.localeCompare(`${b.pk}|${b.sk}`, 'en', { sensitivity: 'variant' }),
    );
  };
  return {
    tableName,
    async ingest(records) {
      const response = await ingest(kinesisEvent(records));
      expect(response).toEqual({ batchItemFailures: [] });
      expect(malformed).toEqual([]);
    },
    scan,
    async call(contactId) {
      return (await scan()).find((item) => item.pk === `CALL#${contactId}`);
    },
  };
};

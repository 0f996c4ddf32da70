import {
  type AttributeDefinition,
  CreateTableCommand,
  DynamoDBClient,
  type KeySchemaElement,
  ResourceInUseException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import type { IndexDefinition, TableDefinition } from '../lambdas/contracts/tables.js';
import { listenOnLoopback } from './listen.js';
import { LOCAL_AWS } from './names.js';

// Kept in names.ts, so the world can be bundled without dynalite.
export { LOCAL_AWS };

const keySchema = ({ partitionKey, sortKey }: IndexDefinition): KeySchemaElement[] => [
  { AttributeName: partitionKey, KeyType: 'HASH' },
  ...(sortKey ? [{ AttributeName: sortKey, KeyType: 'RANGE' as const }] : []),
];

/**
 * The CreateTable input of one of the project's table definitions: on-demand, one GSI (projection
 * ALL) per index, every key attribute a string (what the project's key builders write).
 */
export const createTableInput = (tableName: string, definition: TableDefinition) => {
  const indexes = Object.entries(definition.indexes);
  const keyNames = new Set<string>();
  for (const index of [definition, ...indexes.map(([, index]) => index)]) {
    keyNames.add(index.partitionKey);
    if (index.sortKey) keyNames.add(index.sortKey);
  }
  const attributes: AttributeDefinition[] = [...keyNames].map((name) => ({
    AttributeName: name,
    AttributeType: 'S',
  }));
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: attributes,
    KeySchema: keySchema(definition),
    ...(indexes.length > 0
      ? {
          GlobalSecondaryIndexes: indexes.map(([name, index]) => ({
            IndexName: name,
            KeySchema: keySchema(index),
            Projection: { ProjectionType: 'ALL' as const },
          })),
        }
      : {}),
  };
};

export interface LocalDynamoOptions {
  /** A directory to keep the data in (LevelDB) across runs. @default - in memory */
  readonly path?: string;
}

export interface LocalDynamo {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** Where the data lives: a directory, or `memory`. */
  readonly storage: string;
  /** A client on the endpoint with dummy credentials, destroyed by `close()`. */
  readonly client: DynamoDBClient;
  /**
   * Creates a table from a table definition; a table that already exists (a persisted `path`) is
   * kept as it is. Returns whether it was created.
   */
  ensureTable(tableName: string, definition: TableDefinition): Promise<boolean>;
  /** Destroys the client and stops the server, closing any connection still open. */
  close(): Promise<void>;
}

/**
 * Creates a table from a table definition unless it exists, and waits until it is ACTIVE (dynalite
 * with a `path` gets there asynchronously, as AWS does). Returns whether it was created.
 */
const ensureTable = async (
  client: DynamoDBClient,
  tableName: string,
  definition: TableDefinition,
): Promise<boolean> => {
  let created = true;
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName, definition)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    created = false;
  }
  await waitUntilTableExists(
    { client, maxWaitTime: 10, minDelay: 0.05, maxDelay: 0.2 },
    { TableName: tableName },
  );
  return created;
};

/**
 * The local DynamoDB another process runs (`npm start`), at `endpoint`: close() only destroys
 * this client.
 */
export const connectLocalDynamo = (endpoint: string): LocalDynamo => {
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint });
  return {
    endpoint,
    storage: `the running local system at ${endpoint}`,
    client,
    ensureTable: (tableName, definition) => ensureTable(client, tableName, definition),
    close: async () => client.destroy(),
  };
};

/**
 * Starts dynalite in this process on 127.0.0.1 with an ephemeral port. Tables are ACTIVE as soon
 * as they are created.
 */
export const startLocalDynamo = async (options: LocalDynamoOptions = {}): Promise<LocalDynamo> => {
  const server = dynalite({ createTableMs: 0, ...(options.path ? { path: options.path } : {}) });
  const endpoint = await listenOnLoopback(server);
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint });
  let closed: Promise<void> | undefined;
  return {
    endpoint,
    storage: options.path ?? 'memory',
    client,
    ensureTable: (tableName, definition) => ensureTable(client, tableName, definition),
    close() {
      closed ??= (async () => {
        client.destroy();
        await new Promise<void>((resolve, reject) => {
          server.close((error) => (error ? reject(error) : resolve()));
          // Other clients (route-call's) may still hold keep-alive sockets: end them now.
          server.closeAllConnections();
        });
      })();
      return closed;
    },
  };
};

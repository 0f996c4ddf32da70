import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { type LocalCredentials, startStoreGate } from './store-gate.js';

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
  /**
   * Serve only requests signed with these credentials: dynalite listens on a Unix socket in a
   * private directory, and `endpoint` is a verifying gate (store-gate.ts). @default - dynalite
   * itself on 127.0.0.1, any signature accepted (tests)
   */
  readonly credentials?: LocalCredentials;
}

export interface LocalDynamo {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** Where the data lives: a directory, or `memory`. */
  readonly storage: string;
  /** What the endpoint requires: the run's, or LOCAL_AWS's dummy ones (accepted by dynalite). */
  readonly credentials: LocalCredentials;
  /** A client on the endpoint with those credentials, destroyed by `close()`. */
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
export const connectLocalDynamo = (
  endpoint: string,
  credentials: LocalCredentials = LOCAL_AWS.credentials,
): LocalDynamo => {
  const client = new DynamoDBClient({ ...LOCAL_AWS, credentials, endpoint });
  return {
    endpoint,
    credentials,
    storage: `the running local system at ${endpoint}`,
    client,
    ensureTable: (tableName, definition) => ensureTable(client, tableName, definition),
    close: async () => client.destroy(),
  };
};

/** Listens on a Unix socket in a new private (0700) directory; returns both. */
export const listenPrivately = async (
  listen: (socketPath: string) => Promise<unknown>,
  name: string,
): Promise<{ socketPath: string; remove(): Promise<void> }> => {
  const directory = await mkdtemp(join(tmpdir(), 'local-store-'));
  const socketPath = join(directory, `${name}.sock`);
  await listen(socketPath);
  return { socketPath, remove: () => rm(directory, { recursive: true, force: true }) };
};

/**
 * Starts dynalite in this process, on 127.0.0.1 with an ephemeral port, or behind a gate when
 * `credentials` are given. Tables are ACTIVE as soon as they are created.
 */
export const startLocalDynamo = async (options: LocalDynamoOptions = {}): Promise<LocalDynamo> => {
  const server = dynalite({ createTableMs: 0, ...(options.path ? { path: options.path } : {}) });
  const credentials = options.credentials ?? LOCAL_AWS.credentials;
  let endpoint: string;
  // Behind a gate: closed first (no new requests), the socket's directory last.
  let closeGate = async () => {};
  let removeSocket = async () => {};
  if (options.credentials) {
    const socket = await listenPrivately(
      (path) =>
        new Promise<void>((resolve, reject) => {
          server.once('error', reject).listen(path, resolve);
        }),
      'dynamodb',
    );
    const gate = await startStoreGate({
      service: 'dynamodb',
      credentials,
      socketPath: socket.socketPath,
    }).catch(async (error) => {
      server.close();
      await socket.remove();
      throw error;
    });
    endpoint = gate.endpoint;
    closeGate = () => gate.close();
    removeSocket = () => socket.remove();
  } else {
    endpoint = await listenOnLoopback(server);
  }
  const client = new DynamoDBClient({ ...LOCAL_AWS, credentials, endpoint });
  let closed: Promise<void> | undefined;
  return {
    endpoint,
    credentials,
    storage: options.path ?? 'memory',
    client,
    ensureTable: (tableName, definition) => ensureTable(client, tableName, definition),
    close() {
      closed ??= (async () => {
        client.destroy();
        await closeGate();
        await new Promise<void>((resolve, reject) => {
          server.close((error) => (error ? reject(error) : resolve()));
          // Other clients (route-call's) may still hold keep-alive sockets: end them now.
          server.closeAllConnections();
        });
        await removeSocket();
      })();
      return closed;
    },
  };
};

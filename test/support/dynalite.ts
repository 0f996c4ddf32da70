import type { AddressInfo } from 'node:net';
import {
  type AttributeDefinition,
  CreateTableCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import type { IndexDefinition, TableDefinition } from '../../lambdas/adapters/table-definitions.js';

/** Dummy credentials and region: dynalite checks neither, the SDK needs both. */
export const LOCAL_AWS = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
} as const satisfies DynamoDBClientConfig;

export interface LocalDynamo {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** A client on the local endpoint, destroyed by `close()`. */
  readonly client: DynamoDBClient;
  /** Creates a table from one of the project's table definitions. */
  createTable(tableName: string, definition: TableDefinition): Promise<void>;
  /** Destroys the client and stops the server. */
  close(): Promise<void>;
}

const keySchema = ({ partitionKey, sortKey }: IndexDefinition): KeySchemaElement[] => [
  { AttributeName: partitionKey, KeyType: 'HASH' },
  ...(sortKey ? [{ AttributeName: sortKey, KeyType: 'RANGE' as const }] : []),
];

/**
 * The CreateTable input of a table definition: on-demand, one GSI (projection ALL) per index. Every
 * key attribute is a string, which is what the project's key builders write.
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
    ...(indexes.length
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

/** Starts an in-memory dynalite on 127.0.0.1 (random port); tables are ACTIVE on creation. */
export const startDynalite = async (): Promise<LocalDynamo> => {
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint });
  return {
    endpoint,
    client,
    async createTable(tableName, definition) {
      await client.send(new CreateTableCommand(createTableInput(tableName, definition)));
    },
    async close() {
      client.destroy();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
};

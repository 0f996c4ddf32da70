import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TableDefinition } from '../../lambdas/contracts/tables.js';
import { startLocalDynamo } from '../../local/dynamo.js';

export { createTableInput, LOCAL_AWS } from '../../local/dynamo.js';

/** An in-memory dynalite for a test file, with the project's own local DynamoDB setup. */
export interface LocalDynamo {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** A client on the local endpoint, destroyed by `close()`. */
  readonly client: DynamoDBClient;
  /** Creates a table from one of the project's table definitions and waits until it is ACTIVE. */
  createTable(tableName: string, definition: TableDefinition): Promise<void>;
  /** Destroys the client and stops the server. */
  close(): Promise<void>;
}

/** Starts an in-memory dynalite on 127.0.0.1 (random port). */
export const startDynalite = async (): Promise<LocalDynamo> => {
  const dynamo = await startLocalDynamo();
  return {
    endpoint: dynamo.endpoint,
    client: dynamo.client,
    async createTable(tableName, definition) {
      await dynamo.ensureTable(tableName, definition);
    },
    close: () => dynamo.close(),
  };
};

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import { customResourceOnEvent } from '../adapters/cloudformation/custom-resource.js';
import {
  type SyncRoutingTableDependencies,
  syncRoutingTable,
} from '../use-cases/sync-routing-table.js';

/**
 * onEvent handler of the custom resource that writes the portfolio's routing entries and catalog
 * into the routing table (aws-cdk-lib/custom-resources `Provider`), reading them from the stack's
 * S3 asset. Whatever it throws fails the
 * deploy with the error's message in the CloudFormation events. The properties and the plan are
 * described in domain/routing-table-plan.ts, the writes in use-cases/sync-routing-table.ts.
 */

/** The onEvent function, with its collaborators passed in so tests can point it anywhere. */
export const syncRoutingTableOnEvent = (dependencies: SyncRoutingTableDependencies) => {
  const sync = syncRoutingTable(dependencies);
  return customResourceOnEvent(async (change) => {
    const { physicalResourceId, entryCount } = await sync(change);
    return { physicalResourceId, data: { EntryCount: String(entryCount) } };
  });
};

// Module scope: created once per container, reused across invocations.
const dynamodb = new DynamoDBClient({});
const s3 = new S3Client({});

export const handler = middy(syncRoutingTableOnEvent({ dynamodb, s3 }));

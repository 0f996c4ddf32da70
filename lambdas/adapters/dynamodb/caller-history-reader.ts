import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { FirstTimeCaller } from '../../domain/route.js';
import { describeError } from '../error-reason.js';
import { getItemWithin } from './bounded-get-item.js';
import { callerKey } from './call-log-keys.js';

/**
 * Whether a caller has called a location before, as route-call asks it for the agent: one GetItem
 * of the first-time-caller item the ingest keeps (`CALLER#<locationId>#<caller>`), bounded in time
 * and never cached (one more logged call changes the answer).
 */

export type CallerHistoryAnswer =
  | { readonly firstTimeCaller: Exclude<FirstTimeCaller, 'unknown'> }
  | { readonly firstTimeCaller: 'unknown'; readonly reason: string };

export interface CallerHistory {
  /** Never rejects: a failed or slow read is `unknown` with its reason. */
  firstTimeCaller(locationId: string, caller: string): Promise<CallerHistoryAnswer>;
}

/** The read's limit: route-call answers within the flow's 3 s after its routing lookup's 1.5 s. */
export const CALLER_HISTORY_BUDGET_MS = 400;

export const createCallerHistory = (options: {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly budgetMs?: number;
}): CallerHistory => {
  const { client, tableName, budgetMs = CALLER_HISTORY_BUDGET_MS } = options;
  return {
    async firstTimeCaller(locationId, caller) {
      try {
        const output = await getItemWithin(
          client,
          {
            TableName: tableName,
            Key: callerKey(locationId, caller),
            ProjectionExpression: 'pk',
            // A call logged a moment ago counts: the item is small and read once per call.
            ConsistentRead: true,
          },
          budgetMs,
          'caller history lookup',
        );
        return { firstTimeCaller: output.Item ? 'false' : 'true' };
      } catch (error) {
        return { firstTimeCaller: 'unknown', reason: describeError(error) };
      }
    },
  };
};

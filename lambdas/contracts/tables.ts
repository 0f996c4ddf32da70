/**
 * The key schema of every table, in one place: the CDK data stack deploys these and the local mode
 * creates its tables from them, so the two can never drift apart.
 */
export interface IndexDefinition {
  readonly partitionKey: string;
  readonly sortKey?: string;
}

export interface TableDefinition extends IndexDefinition {
  readonly indexes: Readonly<Record<string, IndexDefinition>>;
  /** The attribute DynamoDB deletes items by (epoch seconds), when the table has one. */
  readonly timeToLiveAttribute?: string;
}

/**
 * Routing: one item per tracking number (`pk = TN#<E.164>`) holding its location's route, so a call
 * costs one GetItem. `byLocation` finds a location's numbers when its route changes.
 */
export const ROUTING_TABLE: TableDefinition = {
  partitionKey: 'pk',
  indexes: { byLocation: { partitionKey: 'locationId', sortKey: 'pk' } },
};

/**
 * Call log, single table. Calls are `pk = CALL#<contactId>, sk = CALL`; each call is also listed in
 * time order under its month, its location, its tracking number, its ad source and its caller (sort key
 * `<initiation timestamp>#<contactId>`), so a page of calls is one Query that reads what it returns.
 * Daily rollups are `pk = ROLLUP#<yyyy-mm-dd>, sk = <locationId>#<source>#<trackingNumber>`, so a
 * report over N days reads N partitions. Each rollup is recomputed from its group's members,
 * `pk = MEMBERS#<yyyy-mm-dd>#<rollup sk>, sk = CALL#<contactId>`: one per call, its contribution at
 * the call's `revision` (or a `gone` tombstone where the call no longer counts), never read by the
 * reports. First-time callers are `pk = CALLER#<locationId>#<caller>`, sk `FIRST`. Webhook
 * subscriptions and their delivery attempts: adapters/dynamodb/webhook-store.ts (attempts expire
 * on {@link CALL_LOG_EXPIRY_ATTRIBUTE}).
 */
export const CALL_LOG_EXPIRY_ATTRIBUTE = 'expiresAt';

/**
 * The partition-key prefix of first-time-caller items: route-call may read these and no other item
 * of the call log (its role's `dynamodb:LeadingKeys` condition).
 */
export const CALLER_ITEM_PREFIX = 'CALLER#';

export const CALL_LOG_TABLE: TableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: CALL_LOG_EXPIRY_ATTRIBUTE,
  indexes: {
    byMonth: { partitionKey: 'monthKey', sortKey: 'startedKey' },
    byLocation: { partitionKey: 'locationKey', sortKey: 'startedKey' },
    byTrackingNumber: { partitionKey: 'trackingNumberKey', sortKey: 'startedKey' },
    bySource: { partitionKey: 'sourceKey', sortKey: 'startedKey' },
    // A caller's calls at every location: GET /calls?caller= and an erasure find them in one Query.
    byCaller: { partitionKey: 'callerNumberKey', sortKey: 'startedKey' },
  },
};

/**
 * The phone-number association's progress between the provider's isComplete invocations: one item
 * per association resource (`pk = phone-numbers:<instance ARN>`), removed when its request
 * completes, expiring on its TTL attribute otherwise (lambdas/adapters/dynamodb/association-progress-store.ts).
 */
export const ASSOCIATION_PROGRESS_TABLE: TableDefinition = { partitionKey: 'pk', indexes: {} };

/** The TTL attribute of {@link ASSOCIATION_PROGRESS_TABLE} (epoch seconds). */
export const ASSOCIATION_PROGRESS_EXPIRY_ATTRIBUTE = 'expiresAt';

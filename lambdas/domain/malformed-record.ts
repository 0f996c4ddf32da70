/** A record the ingest cannot use, with why. `data` is the Kinesis record's data (base64). */
export interface MalformedRecord {
  readonly sequenceNumber: string;
  readonly reason: string;
  readonly data: string;
}

/**
 * Where the ingest reports a malformed record. When it returns, the record is done; when it
 * throws, the record is reported as a batch item failure and retried.
 */
export type MalformedSink = (record: MalformedRecord) => Promise<void> | void;

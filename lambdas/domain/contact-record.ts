/**
 * A typed view of the contact trace record (CTR) fields the call log needs (reference §4), as
 * parsed from Connect's wire format by adapters/connect/contact-record.ts.
 *
 * Every timestamp is normalised to `Date#toISOString()` (UTC, milliseconds), so that comparing two
 * of them as strings (sort keys, a DynamoDB conditional write on `lastUpdate`) compares the times.
 */
export interface ContactRecord {
  readonly contactId: string;
  readonly initialContactId?: string;
  readonly channel?: string;
  readonly initiationMethod?: string;
  readonly initiationTimestamp: string;
  readonly connectedToSystemTimestamp?: string;
  readonly disconnectTimestamp?: string;
  readonly lastUpdateTimestamp: string;
  /** SystemEndpoint.Address: the number dialed. */
  readonly systemAddress?: string;
  /** CustomerEndpoint.Address: the caller. */
  readonly customerAddress?: string;
  /** The contact attributes (string values only); `{}` when the record has none. */
  readonly attributes: Readonly<Record<string, string>>;
  /** TransferredToEndpoint.Address. */
  readonly transferredToAddress?: string;
  readonly transferCompletedTimestamp?: string;
  readonly queue?: ContactRecordQueue;
  readonly agent?: { readonly connectedToAgentTimestamp?: string };
  /** Recordings[] (those with a Location), then Recording when its Location is not among them. */
  readonly recordings: readonly ContactRecordRecording[];
  readonly disconnectReason?: string;
}

export interface ContactRecordQueue {
  readonly arn?: string;
  readonly name?: string;
  readonly enqueueTimestamp?: string;
  readonly dequeueTimestamp?: string;
  readonly durationSeconds?: number;
}

export interface ContactRecordRecording {
  readonly location: string;
  readonly mediaStreamType?: string;
  readonly participantType?: string;
  readonly status?: string;
}

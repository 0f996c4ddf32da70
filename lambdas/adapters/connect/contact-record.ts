import * as z from 'zod';
import type { ContactRecord, ContactRecordRecording } from '../../domain/contact-record.js';

/**
 * Connect's contact trace record (CTR) JSON → the domain's {@link ContactRecord}. Tolerant of what
 * real records carry (extra fields, nulls, several recordings); strict only where the log cannot
 * do without: `ContactId`, `InitiationTimestamp` and `LastUpdateTimestamp`.
 */

export type ParsedContactRecord =
  | { readonly ok: true; readonly record: ContactRecord }
  | { readonly ok: false; readonly problems: readonly string[] };

/** ISO 8601 date and time with a zone (Connect writes `2026-11-23T16:00:00Z`). */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

const isoTimestamp = z
  .string({ error: 'must be an ISO 8601 timestamp' })
  .refine((value) => ISO_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)), {
    error: 'must be an ISO 8601 timestamp',
  })
  .transform((value) => new Date(value).toISOString());

const optionalTimestamp = isoTimestamp.nullish();
const optionalText = z.string().nullish();
const endpoint = z.looseObject({ Address: optionalText }).nullish();

const schema = z.looseObject({
  ContactId: z
    .string({ error: 'must be a non-empty string' })
    .trim()
    .min(1, { error: 'must be a non-empty string' }),
  InitialContactId: optionalText,
  Channel: optionalText,
  InitiationMethod: optionalText,
  InitiationTimestamp: isoTimestamp,
  ConnectedToSystemTimestamp: optionalTimestamp,
  DisconnectTimestamp: optionalTimestamp,
  LastUpdateTimestamp: isoTimestamp,
  SystemEndpoint: endpoint,
  CustomerEndpoint: endpoint,
  // Connect's attributes are strings; anything else is dropped rather than refused.
  Attributes: z.record(z.string(), z.unknown()).nullish(),
  TransferredToEndpoint: endpoint,
  TransferCompletedTimestamp: optionalTimestamp,
  Queue: z
    .looseObject({
      ARN: optionalText,
      Name: optionalText,
      EnqueueTimestamp: optionalTimestamp,
      DequeueTimestamp: optionalTimestamp,
      Duration: z.number().nullish(),
    })
    .nullish(),
  Agent: z.looseObject({ ConnectedToAgentTimestamp: optionalTimestamp }).nullish(),
  Recording: z.looseObject({ Location: optionalText }).nullish(),
  Recordings: z
    .array(
      z.looseObject({
        Location: optionalText,
        MediaStreamType: optionalText,
        ParticipantType: optionalText,
        Status: optionalText,
      }),
    )
    .nullish(),
  DisconnectReason: optionalText,
});

/** A short, safe description of a value found in a record, for a problem's text. */
const describe = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return `the string ${JSON.stringify(shown)}`;
  }
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `the ${typeof value} ${String(value)}`;
};

const valueAt = (raw: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>(
    (node, key) =>
      node !== null && typeof node === 'object'
        ? (node as Record<PropertyKey, unknown>)[key]
        : undefined,
    raw,
  );

const pathText = (path: readonly PropertyKey[]): string =>
  path.map((key) => (typeof key === 'number' ? `[${key}]` : String(key))).join('.');

const present = <T>(value: T | null | undefined): T | undefined => value ?? undefined;

/**
 * Parses one CTR as Connect writes it (one Kinesis record's JSON). The problems name the field and
 * what was found, e.g. `LastUpdateTimestamp must be an ISO 8601 timestamp (found the string "x")`.
 */
export const parseContactRecord = (raw: unknown): ParsedContactRecord => {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, problems: [`the record must be a JSON object (found ${describe(raw)})`] };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => {
        const found = describe(valueAt(raw, issue.path));
        return `${pathText(issue.path) || 'the record'} ${issue.message} (found ${found})`;
      }),
    };
  }
  const ctr = parsed.data;
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(ctr.Attributes ?? {})) {
    if (typeof value === 'string') attributes[key] = value;
  }
  const recordings: ContactRecordRecording[] = [];
  for (const r of ctr.Recordings ?? []) {
    if (!r.Location) continue;
    recordings.push({
      location: r.Location,
      mediaStreamType: present(r.MediaStreamType),
      participantType: present(r.ParticipantType),
      status: present(r.Status),
    });
  }
  const single = ctr.Recording?.Location;
  if (single && !recordings.some((r) => r.location === single)) {
    recordings.push({ location: single });
  }
  const queue = ctr.Queue;
  const record: ContactRecord = {
    contactId: ctr.ContactId,
    initialContactId: present(ctr.InitialContactId),
    channel: present(ctr.Channel),
    initiationMethod: present(ctr.InitiationMethod),
    initiationTimestamp: ctr.InitiationTimestamp,
    connectedToSystemTimestamp: present(ctr.ConnectedToSystemTimestamp),
    disconnectTimestamp: present(ctr.DisconnectTimestamp),
    lastUpdateTimestamp: ctr.LastUpdateTimestamp,
    systemAddress: present(ctr.SystemEndpoint?.Address),
    customerAddress: present(ctr.CustomerEndpoint?.Address),
    attributes,
    transferredToAddress: present(ctr.TransferredToEndpoint?.Address),
    transferCompletedTimestamp: present(ctr.TransferCompletedTimestamp),
    queue: queue
      ? {
          arn: present(queue.ARN),
          name: present(queue.Name),
          enqueueTimestamp: present(queue.EnqueueTimestamp),
          dequeueTimestamp: present(queue.DequeueTimestamp),
          durationSeconds: present(queue.Duration),
        }
      : undefined,
    agent: ctr.Agent
      ? { connectedToAgentTimestamp: present(ctr.Agent.ConnectedToAgentTimestamp) }
      : undefined,
    recordings,
    disconnectReason: present(ctr.DisconnectReason),
  };
  return { ok: true, record };
};

import {
  DEFAULT_INSTANCE_ALIAS,
  DEFAULT_INSTANCE_ARN,
  DEFAULT_RECORDINGS_BUCKET,
} from './defaults.js';
import type { SimulatedCall, SimulationResult } from './types.js';

/**
 * The contact trace record (CTR) Connect would write for a simulated call (reference §4): a pure
 * function of the call and what the simulation found. Timestamps come from the simulated clock,
 * written as Connect writes them (ISO 8601, whole seconds, UTC).
 *
 * Modelled: identity, channel and initiation, the four timestamps, both endpoints, the final
 * attributes, an answered transfer (TransferredToEndpoint, TransferCompletedTimestamp), the queue
 * of a hand-over (dequeued when an agent answered, else at the end), the agent who answered a
 * queued call (a stand-in ARN: the simulator knows no users), the IVR recording when recording was
 * ever on, MediaStreams when the customer's audio was streamed, and DisconnectReason. Not
 * modelled: Contact Lens, tags. A queue whose customer queue flow ran is dequeued when the call ends.
 */

/** `2026-11-26T21:00:05Z`: Connect's CTR timestamps carry no milliseconds. */
export const ctrTimestamp = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

const two = (n: number): string => String(n).padStart(2, '0');

/**
 * Where Connect stores the call recording, as the record's Location gives it (bucket, then key):
 * `<bucket>/connect/<alias>/CallRecordings/YYYY/MM/DD/<contactId>_<YYYYMMDDTHH:MM>_UTC.wav`, dated
 * by the start of the call.
 */
export const recordingLocation = (
  bucket: string,
  alias: string,
  contactId: string,
  startedAt: Date,
): string => {
  const year = String(startedAt.getUTCFullYear());
  const month = two(startedAt.getUTCMonth() + 1);
  const day = two(startedAt.getUTCDate());
  const stamp = `${year}${month}${day}T${two(startedAt.getUTCHours())}:${two(startedAt.getUTCMinutes())}`;
  return `${bucket}/connect/${alias}/CallRecordings/${year}/${month}/${day}/${contactId}_${stamp}_UTC.wav`;
};

/** The agent who answers every simulated queued call. */
const SIMULATED_AGENT_ID = '00000000-0000-4000-8000-00000000a6e7';

const telephone = (address: string) => ({ Address: address, Type: 'TELEPHONE_NUMBER' });

export const contactTraceRecord = (
  call: SimulatedCall,
  result: Omit<SimulationResult, 'contactRecord'>,
): Record<string, unknown> => {
  const contactId = result.contactId ?? call.contactId;
  if (contactId === undefined) throw new Error('contactTraceRecord: the result has no contactId');
  const instanceArn = call.instanceArn ?? DEFAULT_INSTANCE_ARN;
  const start = call.at.getTime();
  const at = (seconds: number): string => ctrTimestamp(new Date(start + seconds * 1000));
  const ended = at(result.durationSeconds ?? 0);
  const transfer = result.transfers?.at(-1);
  const queue = result.queue;
  const recorded = result.recording.some((change) => change.state === 'recording');
  const location = recordingLocation(
    call.recordingsBucket ?? DEFAULT_RECORDINGS_BUCKET,
    call.instanceAlias ?? DEFAULT_INSTANCE_ALIAS,
    contactId,
    call.at,
  );
  const answeredSeconds = queue?.answeredByAgentSeconds;
  return {
    AWSContactTraceRecordFormatVersion: '2017-03-10',
    AWSAccountId: instanceArn.split(':')[4] ?? '',
    InstanceARN: instanceArn,
    ContactId: contactId,
    InitialContactId: contactId,
    // The same value as the event's: a first contact names itself (reference §3 shows it present).
    PreviousContactId: contactId,
    NextContactId: null,
    Channel: 'VOICE',
    InitiationMethod: 'INBOUND',
    InitiationTimestamp: at(0),
    ConnectedToSystemTimestamp: at(0),
    DisconnectTimestamp: ended,
    LastUpdateTimestamp: ended,
    SystemEndpoint: telephone(call.dialed),
    CustomerEndpoint: telephone(call.caller),
    Attributes: { ...result.attributes },
    TransferredToEndpoint: transfer === undefined ? null : telephone(transfer.number),
    TransferCompletedTimestamp: transfer === undefined ? null : at(transfer.atSeconds),
    Queue:
      queue === undefined
        ? null
        : {
            ARN: queue.arn,
            Name: queue.arn.split('/').at(-1) ?? queue.arn,
            EnqueueTimestamp: at(queue.enqueuedSeconds),
            DequeueTimestamp: at(queue.enqueuedSeconds + queue.waitSeconds),
            Duration: Math.round(queue.waitSeconds),
          },
    Agent:
      answeredSeconds === undefined
        ? null
        : {
            ARN: `${instanceArn}/agent/${SIMULATED_AGENT_ID}`,
            ConnectedToAgentTimestamp: at(answeredSeconds),
            AgentInteractionDuration: Math.round((result.durationSeconds ?? 0) - answeredSeconds),
          },
    AgentConnectionAttempts: answeredSeconds === undefined ? 0 : 1,
    Recording: recorded ? { Location: location, Status: 'AVAILABLE', Type: 'AUDIO' } : null,
    Recordings: recorded
      ? [
          {
            Location: location,
            MediaStreamType: 'AUDIO',
            ParticipantType: 'IVR',
            StorageType: 'S3',
            Status: 'AVAILABLE',
          },
        ]
      : [],
    // Connect lists the streamed media, not the stream itself (the ARN is in the attributes).
    ...(result.mediaStreamed === true ? { MediaStreams: [{ Type: 'AUDIO' }] } : {}),
    DisconnectReason: result.disconnectReason ?? 'CONTACT_FLOW_DISCONNECT',
  };
};

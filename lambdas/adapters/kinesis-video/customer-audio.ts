import { GetDataEndpointCommand, KinesisVideoClient } from '@aws-sdk/client-kinesis-video';
import { GetMediaCommand, KinesisVideoMediaClient } from '@aws-sdk/client-kinesis-video-media';
import type { CustomerAudio } from '../../domain/voicemail.js';
import { createMkvAudioCollector } from './mkv-audio.js';

/**
 * The caller's audio of a contact from the Kinesis video stream Connect streamed it to:
 * GetDataEndpoint(GET_MEDIA) for the stream, then GetMedia from the fragment where the message
 * starts (StartSelector FRAGMENT_NUMBER), read until the stream moves on to another contact
 * (Connect reuses a stream across calls) or goes quiet.
 *
 * GetMedia is a live read: at the end of what is stored it waits for new fragments instead of
 * ending. The contact record is written after the contact ended, so by then every fragment of
 * the message is stored; `idleMs` without a byte ends the read, and `maxMs` bounds it whatever
 * arrives. Any error (a stream or fragment past its retention, throttling, no permission) is
 * thrown: the ingest reports the record as failed and Lambda retries it.
 */
export interface KinesisVideoAudioOptions {
  /** The control-plane client (GetDataEndpoint). */
  readonly kinesisVideo?: KinesisVideoClient;
  /** A media client for an endpoint; the default makes one per endpoint and keeps it. */
  readonly mediaClient?: (endpoint: string) => KinesisVideoMediaClient;
  /** @default 3000 */
  readonly idleMs?: number;
  /** @default 30000 */
  readonly maxMs?: number;
}

export type ReadCustomerAudio = (
  streamArn: string,
  startFragment: string,
  contactId: string,
) => Promise<CustomerAudio>;

export const createKinesisVideoAudio = (
  options: KinesisVideoAudioOptions = {},
): ReadCustomerAudio => {
  const control = options.kinesisVideo ?? new KinesisVideoClient({});
  const clients = new Map<string, KinesisVideoMediaClient>();
  const mediaClient =
    options.mediaClient ??
    ((endpoint: string) => {
      const known = clients.get(endpoint);
      if (known) return known;
      const client = new KinesisVideoMediaClient({ endpoint });
      clients.set(endpoint, client);
      return client;
    });
  const idleMs = options.idleMs ?? 3_000;
  const maxMs = options.maxMs ?? 30_000;

  return async (streamArn, startFragment, contactId) => {
    const { DataEndpoint } = await control.send(
      new GetDataEndpointCommand({ StreamARN: streamArn, APIName: 'GET_MEDIA' }),
    );
    if (!DataEndpoint) throw new Error(`no GET_MEDIA endpoint for ${streamArn}`);
    const abort = new AbortController();
    const deadline = setTimeout(() => abort.abort(), maxMs);
    let idle: ReturnType<typeof setTimeout> | undefined;
    let received = 0;
    const collector = createMkvAudioCollector(contactId);
    try {
      const { Payload } = await mediaClient(DataEndpoint).send(
        new GetMediaCommand({
          StreamARN: streamArn,
          StartSelector: {
            StartSelectorType: 'FRAGMENT_NUMBER',
            AfterFragmentNumber: startFragment,
          },
        }),
        { abortSignal: abort.signal },
      );
      if (!Payload) throw new Error(`GetMedia of ${streamArn} returned no payload`);
      idle = setTimeout(() => abort.abort(), idleMs);
      for await (const chunk of Payload as AsyncIterable<Uint8Array>) {
        clearTimeout(idle);
        received += chunk.length;
        if (collector.push(chunk)) break;
        idle = setTimeout(() => abort.abort(), idleMs);
      }
    } catch (error) {
      // Our own abort ends a read that went quiet or ran long: what was read is the message. An
      // abort before any byte is a read that never started, thrown so the record is retried.
      if (!abort.signal.aborted || received === 0) throw error;
    } finally {
      clearTimeout(idle);
      clearTimeout(deadline);
      abort.abort();
    }
    return collector.result();
  };
};

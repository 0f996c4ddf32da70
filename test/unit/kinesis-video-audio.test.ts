import { GetDataEndpointCommand, KinesisVideoClient } from '@aws-sdk/client-kinesis-video';
import type { KinesisVideoMediaClient } from '@aws-sdk/client-kinesis-video-media';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createKinesisVideoAudio } from '../../lambdas/adapters/kinesis-video/customer-audio.js';
import { frameOf, mkvFragment } from '../support/mkv.js';

const STREAM = 'arn:aws:kinesisvideo:us-east-1:123456789012:stream/x-contact-1/1';
const CONTACT = 'c0ffee00-0000-4000-8000-000000000001';
const kvs = mockClient(KinesisVideoClient);

interface Sent {
  input: unknown;
  signal: AbortSignal | undefined;
}

/** A media client whose GetMedia answers with `payload`, recording what it was asked. */
const mediaOf = (payload: () => AsyncIterable<Uint8Array>, sent: Sent[]) => (endpoint: string) => {
  expect(endpoint).toBe('https://b-1234.kinesisvideo.us-east-1.amazonaws.com');
  return {
    send: async (command: { input: unknown }, options?: { abortSignal?: AbortSignal }) => {
      sent.push({ input: command.input, signal: options?.abortSignal });
      return { Payload: payload() };
    },
  } as unknown as KinesisVideoMediaClient;
};

const ours = mkvFragment({ contactId: CONTACT, fragmentNumber: '2', customer: [frameOf(800, 4)] });
const next = mkvFragment({ contactId: 'other', fragmentNumber: '3', customer: [frameOf(800, 9)] });

describe('reading the caller track from Kinesis Video', () => {
  beforeEach(() => {
    kvs.reset();
    kvs.on(GetDataEndpointCommand).resolves({
      DataEndpoint: 'https://b-1234.kinesisvideo.us-east-1.amazonaws.com',
    });
  });

  it('asks the GET_MEDIA endpoint for the stream from the start fragment', async () => {
    const sent: Sent[] = [];
    const read = createKinesisVideoAudio({
      kinesisVideo: new KinesisVideoClient({ region: 'us-east-1' }),
      mediaClient: mediaOf(async function* () {
        yield ours;
        yield next;
      }, sent),
    });
    const audio = await read(STREAM, '1', CONTACT);
    expect(kvs.commandCalls(GetDataEndpointCommand)[0]?.args[0].input).toEqual({
      StreamARN: STREAM,
      APIName: 'GET_MEDIA',
    });
    expect(sent[0]?.input).toEqual({
      StreamARN: STREAM,
      StartSelector: { StartSelectorType: 'FRAGMENT_NUMBER', AfterFragmentNumber: '1' },
    });
    expect(audio.pcm).toHaveLength(1600);
    expect(audio.pcm.readInt16LE(0)).toBe(4);
  });

  it('ends a read that goes quiet (GetMedia waits for new fragments) with what it read', async () => {
    const sent: Sent[] = [];
    const read = createKinesisVideoAudio({
      kinesisVideo: new KinesisVideoClient({ region: 'us-east-1' }),
      idleMs: 50,
      mediaClient: mediaOf(async function* () {
        yield ours;
        // A live stream with nothing more: wait until the reader gives up.
        await new Promise<void>((resolve) =>
          sent[0]?.signal?.addEventListener('abort', () => resolve()),
        );
        throw Object.assign(new Error('aborted'), { name: 'AbortError' });
      }, sent),
    });
    const audio = await read(STREAM, '1', CONTACT);
    expect(audio.pcm).toHaveLength(1600);
  });

  it('throws when the stream cannot be read, so the record is retried', async () => {
    const read = createKinesisVideoAudio({
      kinesisVideo: new KinesisVideoClient({ region: 'us-east-1' }),
      mediaClient: () =>
        ({
          send: async () => {
            throw Object.assign(new Error('fragment past retention'), {
              name: 'InvalidArgumentException',
            });
          },
        }) as unknown as KinesisVideoMediaClient,
    });
    await expect(read(STREAM, '1', CONTACT)).rejects.toThrow('fragment past retention');
  });
});

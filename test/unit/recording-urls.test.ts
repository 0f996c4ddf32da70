import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import {
  createRecordingKeyUrl,
  createRecordingUrls,
} from '../../lambdas/adapters/s3/recording-urls.js';

const client = new S3Client({
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
});

describe('recording links', () => {
  it('presigns a 5-minute GET only for what Connect wrote below the prefix of the recordings bucket', async () => {
    const urls = createRecordingUrls({
      client,
      bucket: 'recs',
      now: () => Date.parse('2026-11-26T12:00:00Z'),
    });
    const links = await urls([
      'recs/connect/alias/CallRecordings/2026/11/26/c1.wav',
      'other-bucket/connect/alias/CallRecordings/2026/11/26/c1.wav',
      'recs/exports/private.csv',
      'recs/connect',
      'recsx/connect/alias/c1.wav',
    ]);
    expect(links).toHaveLength(1);
    const url = new URL(links[0]?.url ?? '');
    expect(url.pathname).toBe('/connect/alias/CallRecordings/2026/11/26/c1.wav');
    expect(url.hostname).toBe('recs.s3.us-east-1.amazonaws.com');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(links[0]?.expiresAt).toBe('2026-11-26T12:05:00.000Z');
  });

  it('presigns a voicemail message by its key, only below the recordings prefix', async () => {
    const url = createRecordingKeyUrl({
      client,
      bucket: 'recs',
      now: () => Date.parse('2026-11-26T12:00:00Z'),
    });
    const link = await url('connect/voicemail/2026/11/26/c1.wav');
    const signed = new URL(link?.url ?? '');
    expect(signed.hostname).toBe('recs.s3.us-east-1.amazonaws.com');
    expect(signed.pathname).toBe('/connect/voicemail/2026/11/26/c1.wav');
    expect(signed.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(link?.expiresAt).toBe('2026-11-26T12:05:00.000Z');
    for (const outside of [
      'exports/private.csv',
      'connect',
      'connectx/c1.wav',
      '/connect/c1.wav',
    ]) {
      expect(await url(outside)).toBeUndefined();
    }
  });
});

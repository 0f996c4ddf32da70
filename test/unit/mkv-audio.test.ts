import { describe, expect, it } from 'vitest';
import {
  createMkvAudioCollector,
  MkvError,
} from '../../lambdas/adapters/kinesis-video/mkv-audio.js';
import { element, frameOf, mkvFragment } from '../support/mkv.js';

const OURS = 'c0ffee00-0000-4000-8000-000000000001';
const NEXT = 'c0ffee00-0000-4000-8000-000000000002';

const stream = Buffer.concat([
  mkvFragment({
    contactId: OURS,
    fragmentNumber: '91343852333181432392682062607743920146264440066',
    customer: [frameOf(160, 1), frameOf(160, 2)],
    toCustomer: [frameOf(160, 99)],
  }),
  mkvFragment({
    contactId: OURS,
    fragmentNumber: '91343852333181432392682062607743920146264440067',
    customer: [frameOf(160, 3)],
    toCustomer: [frameOf(160, 98)],
  }),
  mkvFragment({ contactId: NEXT, fragmentNumber: '2', customer: [frameOf(160, 7)] }),
]);

const samplesOf = (pcm: Buffer): number[] =>
  Array.from({ length: pcm.length / 2 }, (_, i) => pcm.readInt16LE(i * 2));

describe('the customer audio of a contact from a Connect media stream', () => {
  it('collects the caller track of the contact, not what the caller heard, and stops at the next contact', () => {
    const collector = createMkvAudioCollector(OURS);
    expect(collector.push(stream)).toBe(true);
    const { pcm, sampleRate } = collector.result();
    expect(sampleRate).toBe(8_000);
    const samples = samplesOf(pcm);
    expect(samples).toHaveLength(480);
    expect(new Set(samples)).toEqual(new Set([1, 2, 3]));
    expect(samples.slice(0, 160).every((s) => s === 1)).toBe(true);
    expect(samples.slice(320).every((s) => s === 3)).toBe(true);
  });

  it('gives the same audio whatever the chunking of the response', () => {
    const whole = createMkvAudioCollector(OURS);
    whole.push(stream);
    for (const size of [1, 7, 33, 1000]) {
      const collector = createMkvAudioCollector(OURS);
      let done = false;
      for (let offset = 0; offset < stream.length && !done; offset += size) {
        done = collector.push(stream.subarray(offset, offset + size));
      }
      expect(done).toBe(true);
      expect(collector.result().pcm.equals(whole.result().pcm)).toBe(true);
    }
  });

  it('finds the caller track by name, whatever its number, and reads its sample rate', () => {
    const collector = createMkvAudioCollector(OURS);
    collector.push(
      mkvFragment({
        contactId: OURS,
        fragmentNumber: '1',
        customer: [frameOf(16, 5)],
        toCustomer: [frameOf(16, 6)],
        customerTrack: 2,
        sampleRate: 16_000,
      }),
    );
    const { pcm, sampleRate } = collector.result();
    expect(sampleRate).toBe(16_000);
    expect(new Set(samplesOf(pcm))).toEqual(new Set([5]));
  });

  it('skips an earlier contact on the stream and is not done until its own audio was seen', () => {
    const collector = createMkvAudioCollector(NEXT);
    const first = mkvFragment({ contactId: OURS, fragmentNumber: '1', customer: [frameOf(8, 1)] });
    expect(collector.push(first)).toBe(false);
    expect(
      collector.push(
        mkvFragment({ contactId: NEXT, fragmentNumber: '2', customer: [frameOf(8, 7)] }),
      ),
    ).toBe(false);
    expect(new Set(samplesOf(collector.result().pcm))).toEqual(new Set([7]));
  });

  it('holds nothing when the stream never carries the contact', () => {
    const collector = createMkvAudioCollector('someone-else');
    collector.push(stream);
    expect(collector.result().pcm).toHaveLength(0);
  });

  it('refuses bytes that are not EBML', () => {
    const collector = createMkvAudioCollector(OURS);
    expect(() => collector.push(Buffer.from([0x00, 0x01]))).toThrow(MkvError);
  });

  it('skips elements it does not know, even large ones split across chunks', () => {
    const junk = element(0xec, Buffer.alloc(5000, 0xff)); // Void
    const collector = createMkvAudioCollector(OURS);
    const bytes = Buffer.concat([junk, stream]);
    collector.push(bytes.subarray(0, 100));
    collector.push(bytes.subarray(100));
    expect(samplesOf(collector.result().pcm)).toHaveLength(480);
  });
});

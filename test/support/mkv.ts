/**
 * Builds the Matroska a Kinesis video stream of Amazon Connect returns to GetMedia, small enough
 * to read by eye: per fragment an EBML header, a Segment of unknown size with Tracks (customer
 * and agent-side audio), Tags (the fragment number and the ContactId) and a Cluster of
 * SimpleBlocks of raw PCM.
 */
const vintSize = (size: number): Buffer => {
  for (let length = 1; length <= 8; length += 1) {
    if (size < 2 ** (7 * length) - 1) {
      const bytes = Buffer.alloc(length);
      let rest = size;
      for (let i = length - 1; i >= 0; i -= 1) {
        bytes[i] = rest % 256;
        rest = Math.floor(rest / 256);
      }
      bytes[0] = (bytes[0] as number) | (0x80 >> (length - 1));
      return bytes;
    }
  }
  throw new Error(`size ${size} too large`);
};

const idBytes = (id: number): Buffer => {
  const hex = id.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
};

export const element = (id: number, ...children: Buffer[]): Buffer => {
  const body = Buffer.concat(children);
  return Buffer.concat([idBytes(id), vintSize(body.length), body]);
};

/** An element of unknown size (a live stream's Segment and Cluster). */
export const unsized = (id: number, ...children: Buffer[]): Buffer =>
  Buffer.concat([idBytes(id), Buffer.from('01ffffffffffffff', 'hex'), ...children]);

const uint = (value: number): Buffer => Buffer.from([value]);
const text = (value: string): Buffer => Buffer.from(value, 'utf8');
const float = (value: number): Buffer => {
  const bytes = Buffer.alloc(8);
  bytes.writeDoubleBE(value);
  return bytes;
};

const simpleTag = (name: string, value: string): Buffer =>
  element(0x67c8, element(0x45a3, text(name)), element(0x4487, text(value)));

const trackEntry = (number: number, name: string, rate: number): Buffer =>
  element(
    0xae,
    element(0xd7, uint(number)),
    element(0x536e, text(name)),
    element(0x86, text('A_PCM/INT/LIT')),
    element(0xe1, element(0xb5, float(rate)), element(0x6264, uint(16))),
  );

const simpleBlock = (track: number, frame: Buffer): Buffer =>
  element(0xa3, Buffer.concat([vintSize(track).subarray(0), Buffer.from([0, 0, 0x80]), frame]));

export interface FragmentSpec {
  readonly contactId: string;
  readonly fragmentNumber: string;
  /** Frames of the caller's track (AUDIO_FROM_CUSTOMER). */
  readonly customer: readonly Buffer[];
  /** Frames of what the caller heard (AUDIO_TO_CUSTOMER). */
  readonly toCustomer?: readonly Buffer[];
  /** @default 8000 */
  readonly sampleRate?: number;
  /** Track numbers are Connect's to choose: the reader must look them up by name. */
  readonly customerTrack?: number;
}

export const mkvFragment = (spec: FragmentSpec): Buffer => {
  const rate = spec.sampleRate ?? 8_000;
  const customerTrack = spec.customerTrack ?? 1;
  const otherTrack = customerTrack === 1 ? 2 : 1;
  const blocks = [
    ...spec.customer.map((frame) => simpleBlock(customerTrack, frame)),
    ...(spec.toCustomer ?? []).map((frame) => simpleBlock(otherTrack, frame)),
  ];
  return Buffer.concat([
    element(0x1a45dfa3, element(0x4282, text('matroska'))),
    unsized(
      0x18538067,
      element(0x1549a966, element(0x2ad7b1, uint(1))),
      element(
        0x1654ae6b,
        trackEntry(customerTrack, 'AUDIO_FROM_CUSTOMER', rate),
        trackEntry(otherTrack, 'AUDIO_TO_CUSTOMER', rate),
      ),
      element(
        0x1254c367,
        element(
          0x7373,
          simpleTag('AWS_KINESISVIDEO_FRAGMENT_NUMBER', spec.fragmentNumber),
          simpleTag('ContactId', spec.contactId),
        ),
      ),
      unsized(0x1f43b675, element(0xe7, uint(0)), ...blocks),
    ),
  ]);
};

/** `samples` 16-bit samples all of `value` (a frame a test can tell apart). */
export const frameOf = (samples: number, value: number): Buffer => {
  const frame = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i += 1) frame.writeInt16LE(value, i * 2);
  return frame;
};

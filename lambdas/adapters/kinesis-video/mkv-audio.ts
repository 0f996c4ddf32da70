/**
 * The caller's audio of one contact out of the Matroska (MKV) stream Kinesis Video GetMedia
 * returns for an Amazon Connect media stream: each fragment is an EBML header and a Segment
 * holding Tracks (Connect names its tracks AUDIO_FROM_CUSTOMER and AUDIO_TO_CUSTOMER), Tags
 * (Kinesis Video's AWS_KINESISVIDEO_FRAGMENT_NUMBER and the like, and Connect's ContactId) and a
 * Cluster of SimpleBlocks of raw 16-bit PCM.
 *
 * Why a reader of our own and not an npm EBML library: the candidates (`ebml` 3.0.0, `ts-ebml`,
 * `matroska`) are years without a release, bring a schema of every Matroska element and Node
 * stream plumbing, and we need nine element ids. This one is incremental (fed the response
 * chunk by chunk, so the read stops as soon as the contact's audio is over: Connect reuses a
 * stream for the next call) and treats every master element as transparent, which also covers
 * the unknown-size Segment and Cluster a live stream has.
 */

/** The Matroska element ids the reader acts on. */
const ID = {
  ebml: 0x1a45dfa3,
  segment: 0x18538067,
  tracks: 0x1654ae6b,
  trackEntry: 0xae,
  trackNumber: 0xd7,
  name: 0x536e,
  audio: 0xe1,
  samplingFrequency: 0xb5,
  cluster: 0x1f43b675,
  blockGroup: 0xa0,
  block: 0xa1,
  simpleBlock: 0xa3,
  tags: 0x1254c367,
  tag: 0x7373,
  simpleTag: 0x67c8,
  tagName: 0x45a3,
  tagString: 0x4487,
} as const;

/** Entered, not skipped: their children are read as if they stood at the top. */
const MASTERS: ReadonlySet<number> = new Set([
  ID.segment,
  ID.tracks,
  ID.trackEntry,
  ID.audio,
  ID.cluster,
  ID.blockGroup,
  ID.tags,
  ID.tag,
  ID.simpleTag,
]);

/** Leaves whose bytes the reader needs; every other leaf is skipped without being buffered. */
const READ: ReadonlySet<number> = new Set([
  ID.trackNumber,
  ID.name,
  ID.samplingFrequency,
  ID.block,
  ID.simpleBlock,
  ID.tagName,
  ID.tagString,
]);

/** The tag Connect writes on each fragment of a media stream: the contact it carries. */
export const CONTACT_ID_TAG = 'ContactId';
/** The track of what the caller says (AUDIO_TO_CUSTOMER is what the caller hears). */
export const CUSTOMER_TRACK = 'AUDIO_FROM_CUSTOMER';
/** Connect streams 8 kHz audio; used when the track does not say its rate. */
export const DEFAULT_SAMPLE_RATE = 8_000;

/** Malformed EBML: the stream cannot be read past this point. */
export class MkvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MkvError';
  }
}

interface Vint {
  readonly value: number;
  readonly length: number;
  /** Every value bit set: an element of unknown size. */
  readonly unknown: boolean;
}

/** A variable-length integer at `offset`, or undefined when `buffer` ends inside it. */
const readVint = (buffer: Buffer, offset: number, keepMarker: boolean): Vint | undefined => {
  const first = buffer[offset];
  if (first === undefined) return undefined;
  if (first === 0) throw new MkvError(`invalid EBML variable-length integer at byte ${offset}`);
  const length = Math.clz32(first) - 23;
  if (offset + length > buffer.length) return undefined;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i += 1) {
    const byte = buffer[offset + i] as number;
    allOnes &&= byte === 0xff;
    // Multiplication, not shifts: sizes may exceed 32 bits.
    value = value * 256 + byte;
  }
  return { value, length, unknown: !keepMarker && allOnes };
};

const readUint = (bytes: Buffer): number => bytes.reduce((value, byte) => value * 256 + byte, 0);

const readFloat = (bytes: Buffer): number | undefined =>
  bytes.length === 4
    ? bytes.readFloatBE(0)
    : bytes.length === 8
      ? bytes.readDoubleBE(0)
      : undefined;

export interface ContactAudio {
  /** 16-bit little-endian mono samples of the customer track, in stream order. */
  readonly pcm: Buffer;
  readonly sampleRate: number;
}

export interface MkvAudioCollector {
  /** Feeds the next bytes of the stream; true once the contact's audio is over (read no more). */
  push(chunk: Uint8Array): boolean;
  /** What was collected so far. */
  result(): ContactAudio;
}

/**
 * Collects the blocks of track `trackName` in the fragments tagged ContactId = `contactId`, and
 * says it is done at the first fragment tagged with another contact after one of ours.
 */
export const createMkvAudioCollector = (
  contactId: string,
  trackName: string = CUSTOMER_TRACK,
): MkvAudioCollector => {
  let pending = Buffer.alloc(0);
  /** Bytes of a skipped element still to come. */
  let skip = 0;
  let done = false;
  // Track entries of the current fragment.
  let entryNumber: number | undefined;
  let entryName: string | undefined;
  let entryRate: number | undefined;
  let trackNumber: number | undefined;
  let sampleRate: number | undefined;
  // Tags of the current fragment.
  let tagName: string | undefined;
  let fragmentContact: string | undefined;
  let seenOurs = false;
  const frames: Buffer[] = [];

  const closeEntry = (): void => {
    if (entryName === trackName && entryNumber !== undefined) {
      trackNumber = entryNumber;
      if (entryRate !== undefined) sampleRate = entryRate;
    }
  };

  const onBlock = (data: Buffer): void => {
    if (fragmentContact !== contactId) return;
    const track = readVint(data, 0, false);
    if (!track || track.value !== trackNumber) return;
    // Track number, a 16-bit relative timecode, the flags; then the frame.
    const flags = data[track.length + 2] ?? 0;
    if ((flags & 0x06) !== 0) {
      // Lacing packs several frames with sizes in front; Connect's PCM blocks carry one frame.
      throw new MkvError('laced blocks are not supported in the customer audio track');
    }
    frames.push(Buffer.from(data.subarray(track.length + 3)));
  };

  const onLeaf = (id: number, data: Buffer): void => {
    switch (id) {
      case ID.trackNumber:
        entryNumber = readUint(data);
        break;
      case ID.name:
        entryName = data.toString('utf8');
        break;
      case ID.samplingFrequency:
        entryRate = readFloat(data);
        break;
      case ID.tagName:
        tagName = data.toString('utf8');
        break;
      case ID.tagString:
        if (tagName === CONTACT_ID_TAG) {
          fragmentContact = data.toString('utf8');
          if (fragmentContact === contactId) seenOurs = true;
          else if (seenOurs) done = true;
        }
        tagName = undefined;
        break;
      default:
        onBlock(data);
    }
  };

  const onMaster = (id: number): void => {
    if (id === ID.trackEntry) {
      closeEntry();
      entryNumber = undefined;
      entryName = undefined;
      entryRate = undefined;
    }
    // A Cluster follows the entries: the last one is complete. Tracks before it reset the map.
    if (id === ID.cluster) closeEntry();
    if (id === ID.tracks) trackNumber = undefined;
  };

  return {
    push(chunk) {
      if (done) return true;
      const buffer = pending.length > 0 ? Buffer.concat([pending, chunk]) : Buffer.from(chunk);
      let offset = 0;
      while (!done) {
        if (skip > 0) {
          const skipped = Math.min(skip, buffer.length - offset);
          skip -= skipped;
          offset += skipped;
          if (skip > 0) break;
        }
        const id = readVint(buffer, offset, true);
        if (!id) break;
        const size = readVint(buffer, offset + id.length, false);
        if (!size) break;
        const start = offset + id.length + size.length;
        if (MASTERS.has(id.value) || id.value === ID.ebml) {
          if (id.value === ID.ebml) {
            // A new fragment: its header's children are skipped whole.
            skip = size.value;
            fragmentContact = undefined;
          } else onMaster(id.value);
          offset = start;
          continue;
        }
        if (size.unknown) throw new MkvError(`element 0x${id.value.toString(16)} has no size`);
        if (!READ.has(id.value)) {
          skip = size.value;
          offset = start;
          continue;
        }
        if (start + size.value > buffer.length) break;
        onLeaf(id.value, buffer.subarray(start, start + size.value));
        offset = start + size.value;
      }
      pending = Buffer.from(buffer.subarray(offset));
      return done;
    },
    result() {
      return { pcm: Buffer.concat(frames), sampleRate: sampleRate ?? DEFAULT_SAMPLE_RATE };
    },
  };
};

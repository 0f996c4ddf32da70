/**
 * WAV (RIFF, PCM) from raw samples: the format of Connect's call recordings and of the messages
 * the voicemail packager stores, 16-bit little-endian mono. One writer for the deployed packager
 * and the local system's generated audio.
 */
const HEADER_BYTES = 44;
const BYTES_PER_SAMPLE = 2;

/** A WAV file holding `pcm` (16-bit LE mono samples) at `sampleRate` samples a second. */
export const wavFromPcm = (pcm: Buffer, sampleRate: number): Buffer => {
  // An odd trailing byte is half a sample: dropped, so the data chunk holds whole samples.
  const dataBytes = pcm.length - (pcm.length % BYTES_PER_SAMPLE);
  const wav = Buffer.alloc(HEADER_BYTES + dataBytes);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + dataBytes, 4);
  wav.write('WAVE', 8, 'ascii');
  wav.write('fmt ', 12, 'ascii');
  wav.writeUInt32LE(16, 16); // fmt chunk size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(sampleRate, 24);
  wav.writeUInt32LE(sampleRate * BYTES_PER_SAMPLE, 28); // byte rate
  wav.writeUInt16LE(BYTES_PER_SAMPLE, 32); // block align
  wav.writeUInt16LE(8 * BYTES_PER_SAMPLE, 34); // bits per sample
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(dataBytes, 40);
  pcm.copy(wav, HEADER_BYTES, 0, dataBytes);
  return wav;
};

/** How long `pcm` (16-bit mono) plays at `sampleRate`, in seconds (not rounded). */
export const pcmSeconds = (pcm: Buffer, sampleRate: number): number =>
  sampleRate > 0 ? Math.floor(pcm.length / BYTES_PER_SAMPLE) / sampleRate : 0;

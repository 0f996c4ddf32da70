/**
 * A short generated recording for local calls: 8 kHz, 16-bit mono PCM WAV (what Connect's call
 * recordings are), two soft tones so playback is audible and obviously synthetic.
 */
const SAMPLE_RATE = 8_000;
const BYTES_PER_SAMPLE = 2;
const HEADER_BYTES = 44;

export const generatedRecording = (
  seconds = 2,
  frequenciesHz: readonly number[] = [440, 660],
): Buffer => {
  const samples = Math.round(seconds * SAMPLE_RATE);
  const dataBytes = samples * BYTES_PER_SAMPLE;
  const wav = Buffer.alloc(HEADER_BYTES + dataBytes);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + dataBytes, 4);
  wav.write('WAVE', 8, 'ascii');
  wav.write('fmt ', 12, 'ascii');
  wav.writeUInt32LE(16, 16); // fmt chunk size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(SAMPLE_RATE, 24);
  wav.writeUInt32LE(SAMPLE_RATE * BYTES_PER_SAMPLE, 28); // byte rate
  wav.writeUInt16LE(BYTES_PER_SAMPLE, 32); // block align
  wav.writeUInt16LE(8 * BYTES_PER_SAMPLE, 34); // bits per sample
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(dataBytes, 40);
  const perTone = Math.ceil(samples / frequenciesHz.length);
  for (let i = 0; i < samples; i += 1) {
    const frequency = frequenciesHz[Math.floor(i / perTone)] ?? 440;
    // Fade each tone in and out over 20 ms so it does not click.
    const inTone = i % perTone;
    const fade = Math.min(1, inTone / 160, (perTone - inTone) / 160);
    const value = Math.sin((2 * Math.PI * frequency * i) / SAMPLE_RATE) * 0.25 * fade;
    wav.writeInt16LE(Math.round(value * 32_767), HEADER_BYTES + i * BYTES_PER_SAMPLE);
  }
  return wav;
};

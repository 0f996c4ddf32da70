import { wavFromPcm } from '../lambdas/domain/wav.js';

/**
 * Short generated audio for local calls: 8 kHz, 16-bit mono PCM (what Connect's call recordings
 * and its media streams carry), soft tones so playback is audible and obviously synthetic.
 */
export const LOCAL_SAMPLE_RATE = 8_000;

/** The tones as raw 16-bit LE samples (what a media stream's customer track would give). */
export const generatedPcm = (
  seconds = 2,
  frequenciesHz: readonly number[] = [440, 660],
): Buffer => {
  const samples = Math.round(seconds * LOCAL_SAMPLE_RATE);
  const pcm = Buffer.alloc(samples * 2);
  const perTone = Math.ceil(samples / frequenciesHz.length);
  for (let i = 0; i < samples; i += 1) {
    const frequency = frequenciesHz[Math.floor(i / perTone)] ?? 440;
    // Fade each tone in and out over 20 ms so it does not click.
    const inTone = i % perTone;
    const fade = Math.min(1, inTone / 160, (perTone - inTone) / 160);
    const value = Math.sin((2 * Math.PI * frequency * i) / LOCAL_SAMPLE_RATE) * 0.25 * fade;
    pcm.writeInt16LE(Math.round(value * 32_767), i * 2);
  }
  return pcm;
};

/** The tones as a WAV file, like a call recording. */
export const generatedRecording = (
  seconds = 2,
  frequenciesHz: readonly number[] = [440, 660],
): Buffer => wavFromPcm(generatedPcm(seconds, frequenciesHz), LOCAL_SAMPLE_RATE);

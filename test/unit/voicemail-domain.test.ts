import { describe, expect, it } from 'vitest';
import {
  callLink,
  transcriptionJobName,
  transcriptText,
  voicemailAudioKey,
} from '../../lambdas/domain/voicemail.js';
import { pcmSeconds, wavFromPcm } from '../../lambdas/domain/wav.js';

describe('voicemail rules', () => {
  it("keys a message by the call's UTC day below the recordings prefix, as the demo does", () => {
    expect(voicemailAudioKey('c1', '2026-11-24T04:30:00.000Z')).toBe(
      'connect/voicemail/2026/11/24/c1.wav',
    );
  });

  it('names the transcription job after the contact, within the characters Transcribe allows', () => {
    expect(transcriptionJobName('a1b2-c3')).toBe('voicemail-a1b2-c3');
    expect(transcriptionJobName('a/b c')).toMatch(/^[0-9a-zA-Z._-]+$/);
  });

  it("reads a Transcribe transcript's text, undefined for none or not JSON", () => {
    expect(transcriptText('{"results":{"transcripts":[{"transcript":"Call me back."}]}}')).toBe(
      'Call me back.',
    );
    expect(transcriptText('{"results":{"transcripts":[{"transcript":""}]}}')).toBeUndefined();
    expect(transcriptText('not json')).toBeUndefined();
  });

  it('links to a call under a base with or without a trailing slash', () => {
    expect(callLink('https://d.example.com/#/', 'c 1')).toBe('https://d.example.com/#/calls/c%201');
  });

  it('writes a WAV of whole samples and measures PCM', () => {
    const wav = wavFromPcm(Buffer.alloc(16_001), 8_000);
    expect(wav.readUInt32LE(40)).toBe(16_000);
    expect(wav.readUInt16LE(34)).toBe(16);
    expect(pcmSeconds(Buffer.alloc(16_000), 8_000)).toBe(1);
  });
});

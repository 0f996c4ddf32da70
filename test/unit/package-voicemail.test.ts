import { describe, expect, it, vi } from 'vitest';
import type { ContactRecord } from '../../lambdas/domain/contact-record.js';
import { QUEUE_OUTCOME_ATTRIBUTES as A } from '../../lambdas/domain/queue-outcome-attributes.js';
import type { VoicemailEmail, VoicemailPorts } from '../../lambdas/domain/voicemail.js';
import { createPackageVoicemail } from '../../lambdas/use-cases/package-voicemail.js';

const CONTACT = 'a1b2c3d4-0000-4000-8000-00000000abcd';
const STREAM = 'arn:aws:kinesisvideo:us-east-1:123456789012:stream/calltrack-connect-x-contact-1/1';

const record = (attributes: Record<string, string>): ContactRecord => ({
  contactId: CONTACT,
  initiationTimestamp: '2026-11-23T09:00:00.000Z',
  lastUpdateTimestamp: '2026-11-23T09:03:00.000Z',
  customerAddress: '+15125559871',
  attributes: { locationId: 'round-rock', locationName: 'Round Rock', ...attributes },
  recordings: [],
});

const recording = record({
  [A.voicemail]: 'recording',
  [A.voicemailStreamArn]: STREAM,
  [A.voicemailStartFragment]: '913438523331814323926820626077439201',
  [A.voicemailStartTimestamp]: '1795424580000',
});

const ports = (seconds: number) => {
  const objects = new Map<string, { body: Buffer; contentType: string }>();
  const emails: VoicemailEmail[] = [];
  const jobs: string[][] = [];
  const port: VoicemailPorts = {
    readAudio: vi.fn(async () => ({
      pcm: Buffer.alloc(Math.round(seconds * 8000) * 2),
      sampleRate: 8000,
    })),
    putObject: vi.fn(async (key: string, body: Buffer, contentType: string) => {
      objects.set(key, { body, contentType });
    }),
    startTranscription: vi.fn(async (...args: string[]) => {
      jobs.push(args);
    }),
    notify: vi.fn(async (email: VoicemailEmail) => {
      emails.push(email);
    }),
  };
  return { port, objects, emails, jobs };
};

const quiet = () => undefined;

describe('packaging a voicemail before the call is logged', () => {
  it('stores the message as a WAV, starts its transcription, emails the location and marks it left', async () => {
    const { port, objects, emails, jobs } = ports(12.4);
    const packaged = await createPackageVoicemail({
      ...port,
      emailFor: (id) => (id === 'round-rock' ? 'manager@example.com' : undefined),
      linkBase: 'https://dash.example.com/',
      log: quiet,
    })(recording);
    const key = `connect/voicemail/2026/11/23/${CONTACT}.wav`;
    expect(port.readAudio).toHaveBeenCalledWith(
      STREAM,
      '913438523331814323926820626077439201',
      CONTACT,
    );
    expect(packaged.attributes).toMatchObject({
      [A.voicemail]: 'left',
      [A.voicemailKey]: key,
      [A.voicemailDurationSeconds]: '12',
    });
    const stored = objects.get(key);
    expect(stored?.contentType).toBe('audio/wav');
    expect(stored?.body.subarray(0, 4).toString()).toBe('RIFF');
    expect(stored?.body.readUInt32LE(24)).toBe(8000);
    expect(stored?.body.length).toBe(44 + Math.round(12.4 * 8000) * 2);
    expect(jobs).toEqual([
      [`voicemail-${CONTACT}`, key, `connect/voicemail/transcripts/${CONTACT}.json`],
    ]);
    expect(emails).toHaveLength(1);
    expect(emails[0]?.to).toBe('manager@example.com');
    expect(emails[0]?.text).toContain('+15125559871');
    expect(emails[0]?.text).toContain('Round Rock');
    expect(emails[0]?.text).toContain('12 s');
    expect(emails[0]?.text).toContain(`https://dash.example.com/calls/${CONTACT}`);
  });

  it('logs a message under a second as empty and stores nothing', async () => {
    const { port, objects, emails } = ports(0.6);
    const packaged = await createPackageVoicemail({ ...port, log: quiet })(recording);
    expect(packaged.attributes[A.voicemail]).toBe('empty');
    expect(packaged.attributes[A.voicemailKey]).toBeUndefined();
    expect(objects.size).toBe(0);
    expect(emails).toHaveLength(0);
  });

  it('sends no email to a location without an address, or without a link to give', async () => {
    const noAddress = ports(3);
    await createPackageVoicemail({ ...noAddress.port, linkBase: 'https://x', log: quiet })(
      recording,
    );
    expect(noAddress.emails).toHaveLength(0);
    const noLink = ports(3);
    await createPackageVoicemail({ ...noLink.port, emailFor: () => 'a@example.com', log: quiet })(
      recording,
    );
    expect(noLink.emails).toHaveLength(0);
  });

  it('leaves a record without a message as it is', async () => {
    const { port } = ports(3);
    const plain = record({});
    expect(await createPackageVoicemail({ ...port, log: quiet })(plain)).toBe(plain);
    expect(port.readAudio).not.toHaveBeenCalled();
  });

  it('throws when the stream cannot be read, so the record is retried', async () => {
    const { port, objects } = ports(3);
    port.readAudio = vi.fn(async () => {
      throw new Error('ResourceNotFoundException');
    });
    await expect(createPackageVoicemail({ ...port, log: quiet })(recording)).rejects.toThrow(
      'ResourceNotFoundException',
    );
    expect(objects.size).toBe(0);
  });

  it('keeps the message when the transcription or the email fails', async () => {
    const { port, objects } = ports(3);
    port.startTranscription = vi.fn(async () => {
      throw new Error('LimitExceededException');
    });
    port.notify = vi.fn(async () => {
      throw new Error('MessageRejected');
    });
    const log = vi.fn();
    const packaged = await createPackageVoicemail({
      ...port,
      emailFor: () => 'a@example.com',
      linkBase: 'https://x',
      log,
    })(recording);
    expect(packaged.attributes[A.voicemail]).toBe('left');
    expect(objects.size).toBe(1);
    expect(log).toHaveBeenCalledWith(
      'warn',
      expect.objectContaining({ message: 'voicemail transcription failed' }),
    );
    expect(log).toHaveBeenCalledWith(
      'warn',
      expect.objectContaining({ message: 'voicemail email failed' }),
    );
  });

  it('logs a recording without a stream as empty (there is nothing to read, now or later)', async () => {
    const { port } = ports(3);
    const packaged = await createPackageVoicemail({ ...port, log: quiet })(
      record({ [A.voicemail]: 'recording' }),
    );
    expect(packaged.attributes[A.voicemail]).toBe('empty');
    expect(port.readAudio).not.toHaveBeenCalled();
  });

  it('writes the same key and asks for the same job when the record is delivered again', async () => {
    const { port, jobs } = ports(4);
    const packageVoicemail = createPackageVoicemail({ ...port, log: quiet });
    const first = await packageVoicemail(recording);
    const second = await packageVoicemail(recording);
    expect(second.attributes).toEqual(first.attributes);
    expect(jobs[0]).toEqual(jobs[1]);
  });
});

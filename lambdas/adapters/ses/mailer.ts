import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { VoicemailEmail } from '../../domain/voicemail.js';

/** Sends a plain-text email from a verified SES identity. */
export type Notify = (email: VoicemailEmail) => Promise<void>;

export const createSesMailer =
  (client: SESv2Client, from: string): Notify =>
  async ({ to, subject, text }) => {
    await client.send(
      new SendEmailCommand({
        FromEmailAddress: from,
        Destination: { ToAddresses: [to] },
        Content: {
          Simple: {
            Subject: { Data: subject, Charset: 'UTF-8' },
            Body: { Text: { Data: text, Charset: 'UTF-8' } },
          },
        },
      }),
    );
  };

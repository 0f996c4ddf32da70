import { gunzipSync, gzipSync } from 'node:zlib';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_ERASURE } from '../../lambdas/domain/erasure.js';
import { eraseCallerOn } from '../../lambdas/handlers/api-routes.js';
import { batchPut, seedCallItem } from '../../local/seed-call-log.js';
import {
  type ApiHarness,
  RECORDING_KEY,
  RECORDINGS_BUCKET,
  startApiHarness,
  TOKENS,
  VOICEMAIL_KEY,
} from '../support/api-harness.js';

/**
 * Erasure on request, for real: the local API over HTTP on dynalite and s3rver (the harness's
 * seed: +15125550150 called austin (c1, recorded) and dallas (c3); +15125550151 left c2's message).
 */

let api: ApiHarness;
beforeAll(async () => {
  api = await startApiHarness();
});
afterAll(async () => {
  await api?.close();
});

const admin = { method: 'POST', token: TOKENS.admin } as const;
const ids = (body: { items: { contactId: string }[] }) => body.items.map((c) => c.contactId);
const stored = (key: string) =>
  api.s3.send(new HeadObjectCommand({ Bucket: RECORDINGS_BUCKET, Key: key })).then(
    () => true,
    () => false,
  );
const RANGE = 'from=2026-09-01&to=2026-11-30';

describe('POST /privacy/erasures', () => {
  it('is for admin tokens only, and refuses a body without an E.164 caller without repeating it', async () => {
    const read = await api.call('/privacy/erasures', {
      method: 'POST',
      body: { caller: '+15125550150' },
    });
    expect(read.status).toBe(403);
    expect((await api.call('/privacy/erasures')).status).toBe(403);
    for (const body of [{}, { caller: '5125550150' }, { caller: 15125550150 }, []]) {
      const bad = await api.call('/privacy/erasures', { ...admin, body });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/^caller: .*give the body \{ "caller": "\+1/);
      expect(JSON.stringify(bad.body)).not.toContain('5125550150');
    }
    const extra = await api.call('/privacy/erasures', {
      ...admin,
      body: { caller: '+15125550150', everything: true },
    });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toContain('unknown field "everything"');
    // Nothing was erased by the refusals.
    expect(ids((await api.call('/calls?caller=%2B15125550150')).body)).toEqual(['c1', 'c3']);
  });

  it("removes the caller's calls, recordings and voicemails at every location, keeps the counts, and audits without the number", async () => {
    const summaryBefore = (await api.call(`/reports/summary?from=2026-09-01&to=2026-11-30`)).body;
    expect(await stored(RECORDING_KEY)).toBe(true);

    const first = await api.call('/privacy/erasures', {
      ...admin,
      body: { caller: '+15125550150' },
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      by: 'local-admin',
      removed: { calls: 2, leads: 0, recordings: 1, voicemails: 0, archiveRecords: 0 },
    });
    expect(first.body.notReached).toEqual(
      expect.arrayContaining([expect.stringMatching(/point-in-time-recovery backups/)]),
    );
    expect(ids((await api.call(`/calls?caller=%2B15125550150&${RANGE}`)).body)).toEqual([]);
    expect((await api.call('/calls/c1')).status).toBe(404);
    expect((await api.call('/calls/c3')).status).toBe(404);
    expect(await stored(RECORDING_KEY)).toBe(false);
    // Other callers' calls stay, and the report counts every call as before.
    expect(ids((await api.call(`/calls?${RANGE}`)).body)).toEqual(['c2', 'c6', 'c4', 'c5']);
    expect((await api.call(`/reports/summary?from=2026-09-01&to=2026-11-30`)).body).toEqual(
      summaryBefore,
    );

    const again = await api.call('/privacy/erasures', {
      ...admin,
      body: { caller: '+15125550150' },
    });
    expect(again.status).toBe(200);
    expect(again.body.removed).toEqual(NO_ERASURE);
    expect(again.body.erasureId).not.toBe(first.body.erasureId);

    const audit = await api.call('/privacy/erasures', { token: TOKENS.admin });
    expect(audit.status).toBe(200);
    expect(audit.body.items.map((e: { erasureId: string }) => e.erasureId)).toEqual([
      again.body.erasureId,
      first.body.erasureId,
    ]);
    expect(JSON.stringify(audit.body)).not.toMatch(/5125550150|CLR#/);
  });

  it('removes a voicemail message and the lead data on the call', async () => {
    const marked = await api.call('/calls/c2', {
      method: 'PATCH',
      token: TOKENS.admin,
      body: { leadStatus: 'active', note: 'wants a 10x10' },
    });
    expect(marked.status).toBe(200);
    expect(await stored(VOICEMAIL_KEY)).toBe(true);
    const erased = await api.call('/privacy/erasures', {
      ...admin,
      body: { caller: '+15125550151' },
    });
    expect(erased.body.removed).toMatchObject({ calls: 1, leads: 1, voicemails: 1 });
    expect(await stored(VOICEMAIL_KEY)).toBe(false);
    expect((await api.call('/calls/c2')).status).toBe(404);
  });
});

describe('erasing from the contact-record archive', () => {
  it("rewrites the archive objects of the caller's days without their records, and leaves others' byte for byte", async () => {
    const archiveBucket = 'archive';
    await api.s3.send(new CreateBucketCommand({ Bucket: archiveBucket }));
    const call = seedCallItem({
      contactId: 'arch-1',
      startedAt: '2026-11-20T23:58:00.000Z',
      caller: '+15125550177',
      outcome: 'missed',
      firstTime: true,
    });
    await batchPut(api.dynamo, api.tableName, [call]);
    const theirs = JSON.stringify({
      ContactId: 'arch-1',
      CustomerEndpoint: { Address: '+15125550177' },
    });
    const other = JSON.stringify({ ContactId: 'x', CustomerEndpoint: { Address: '+15125550100' } });
    // Firehose files by arrival: the record of a call started before midnight lands the next day.
    const objects = {
      'contact-records/2026/11/21/cr-1.gz': gzipSync(`${other}\n${theirs}\n`),
      'contact-records/2026/11/20/cr-0.gz': gzipSync(`${other}\n`),
    };
    for (const [Key, Body] of Object.entries(objects)) {
      await api.s3.send(new PutObjectCommand({ Bucket: archiveBucket, Key, Body }));
    }
    const erase = eraseCallerOn({
      dynamo: api.dynamo,
      callLogTableName: api.tableName,
      s3: api.s3,
      recordingsBucket: RECORDINGS_BUCKET,
      archive: { s3: api.s3, bucket: archiveBucket },
    });
    const result = await erase.erase({ caller: '+15125550177', by: 'test' });
    expect(result.removed).toMatchObject({ calls: 1, archiveRecords: 1 });
    expect(result.notReached.join('\n')).not.toContain('none is configured');
    const read = async (Key: string) => {
      const got = await api.s3.send(new GetObjectCommand({ Bucket: archiveBucket, Key }));
      return gunzipSync(
        Buffer.from(
          await (
            got.Body as { transformToByteArray(): Promise<Uint8Array> }
          ).transformToByteArray(),
        ),
      ).toString('utf8');
    };
    expect(await read('contact-records/2026/11/21/cr-1.gz')).toBe(`${other}\n`);
    expect(await read('contact-records/2026/11/20/cr-0.gz')).toBe(`${other}\n`);
    expect((await erase.erase({ caller: '+15125550177', by: 'test' })).removed.archiveRecords).toBe(
      0,
    );
  });
});

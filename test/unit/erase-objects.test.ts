import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { deleteEveryVersion } from '../../lambdas/adapters/s3/erase-objects.js';
import { archiveDaysOf, withoutCaller } from '../../lambdas/domain/erasure.js';

const s3 = mockClient(S3Client);
const client = new S3Client({ region: 'us-east-1' });
const KEY = 'connect/i/CallRecordings/2026/11/25/c1.wav';

beforeEach(() => s3.reset());

describe('deleteEveryVersion', () => {
  it('deletes every version and delete marker of the key, across pages, and nothing of a longer key', async () => {
    s3.on(ListObjectVersionsCommand)
      .resolvesOnce({
        IsTruncated: true,
        NextKeyMarker: KEY,
        NextVersionIdMarker: 'v2',
        Versions: [
          { Key: KEY, VersionId: 'v1' },
          { Key: `${KEY}.json`, VersionId: 'other' },
          { Key: KEY, VersionId: 'v2' },
        ],
      })
      .resolvesOnce({ IsTruncated: false, DeleteMarkers: [{ Key: KEY, VersionId: 'm1' }] });
    s3.on(DeleteObjectsCommand).resolves({});
    expect(await deleteEveryVersion(client, 'b', KEY)).toBe(true);
    const lists = s3.commandCalls(ListObjectVersionsCommand).map((c) => c.args[0].input);
    expect(lists[1]).toMatchObject({ KeyMarker: KEY, VersionIdMarker: 'v2' });
    const deletes = s3.commandCalls(DeleteObjectsCommand).map((c) => c.args[0].input);
    expect(deletes).toHaveLength(1);
    expect(deletes[0]?.Delete?.Objects).toEqual([
      { Key: KEY, VersionId: 'v1' },
      { Key: KEY, VersionId: 'v2' },
      { Key: KEY, VersionId: 'm1' },
    ]);
    // Never a plain delete: on a versioned bucket it would only hide the recording.
    expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(0);
  });

  it('answers false when the key has no version, and fails loudly when a version is not deleted', async () => {
    s3.on(ListObjectVersionsCommand).resolves({ IsTruncated: false });
    expect(await deleteEveryVersion(client, 'b', KEY)).toBe(false);
    s3.on(ListObjectVersionsCommand).resolves({ Versions: [{ Key: KEY, VersionId: 'v1' }] });
    s3.on(DeleteObjectsCommand).resolves({
      Errors: [{ Key: KEY, VersionId: 'v1', Code: 'AccessDenied', Message: 'no' }],
    });
    await expect(deleteEveryVersion(client, 'b', KEY)).rejects.toThrow(
      /could not delete 1 version\(s\) of s3:\/\/b\/connect.*AccessDenied/,
    );
  });

  it('deletes the object itself on a store without versions (the local S3)', async () => {
    s3.on(ListObjectVersionsCommand).rejects(
      Object.assign(new Error('not allowed'), { name: 'MethodNotAllowed' }),
    );
    s3.on(HeadObjectCommand).resolves({});
    s3.on(DeleteObjectCommand).resolves({});
    expect(await deleteEveryVersion(client, 'b', KEY)).toBe(true);
    expect(s3.commandCalls(DeleteObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: 'b',
      Key: KEY,
    });
  });
});

describe('the archive rewrite', () => {
  it("drops the caller's records only, keeps other lines and lines that are not JSON", () => {
    const mine = '{"CustomerEndpoint":{"Address":"+15125550150"},"ContactId":"a"}';
    const other = '{"CustomerEndpoint":{"Address":"+15125550151"},"ContactId":"b"}';
    const text = [mine, other, 'not json', 'null', '{"CustomerEndpoint":null}', mine, ''].join(
      '\n',
    );
    expect(withoutCaller(text, '+15125550150')).toEqual({
      text: [other, 'not json', 'null', '{"CustomerEndpoint":null}', ''].join('\n'),
      removed: 2,
    });
    expect(withoutCaller(text, '+15125550199')).toEqual({ text, removed: 0 });
  });

  it('reads the day a call started and the two after it (records are filed on arrival)', () => {
    expect(archiveDaysOf(['2026-12-31T23:59:00.000Z', '2027-01-01T10:00:00.000Z', 'bad'])).toEqual([
      '2026/12/31',
      '2027/01/01',
      '2027/01/02',
      '2027/01/03',
    ]);
  });
});

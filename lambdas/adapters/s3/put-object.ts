import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** Writes one object; the bucket's default encryption (its KMS key) applies, none is named here. */
export type PutObject = (key: string, body: Buffer, contentType: string) => Promise<void>;

export const createPutObject =
  (client: S3Client, bucket: string): PutObject =>
  async (key, body, contentType) => {
    await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }),
    );
  };

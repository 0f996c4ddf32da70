import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';

/** The object a resource names is not in its bucket. */
export class ObjectNotFoundError extends Error {
  constructor(
    readonly bucket: string,
    readonly key: string,
  ) {
    super(
      `s3://${bucket}/${key} does not exist: deploy again with cdk deploy, which uploads the stack's assets before it updates the stack`,
    );
    this.name = 'ObjectNotFoundError';
  }
}

/** The text (UTF-8) of one S3 object; throws {@link ObjectNotFoundError} when it is missing. */
export const readObjectText = async (
  client: S3Client,
  bucket: string,
  key: string,
): Promise<string> => {
  try {
    const { Body } = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!Body) throw new ObjectNotFoundError(bucket, key);
    return await Body.transformToString('utf8');
  } catch (error) {
    if (error instanceof NoSuchKey) throw new ObjectNotFoundError(bucket, key);
    throw error;
  }
};

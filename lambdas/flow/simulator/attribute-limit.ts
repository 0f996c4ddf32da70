/** Connect caps a contact's attributes, and a STRING_MAP Lambda answer, at 32 KB. */
const MAX_ATTRIBUTE_BYTES = 32 * 1024;

const utf8Bytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

/** Whether `value`, as JSON, is larger than Connect accepts for attributes or a Lambda answer. */
export const exceedsAttributeLimit = (value: unknown): boolean =>
  utf8Bytes(value) > MAX_ATTRIBUTE_BYTES;

import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * DynamoDB's size of an item, as its documentation counts it: each attribute's name plus its
 * value; strings and binaries by their bytes, numbers about one byte per two digits plus one, and
 * 3 bytes for a map or list plus 1 per element. An estimate close enough to refuse an item
 * before DynamoDB does (400 KB), with a message that says what to do.
 */
export const DYNAMODB_MAX_ITEM_BYTES = 400 * 1024;

const valueBytes = (value: AttributeValue): number => {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return Math.ceil(value.N.replace(/^-|\./g, '').length / 2) + 1;
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.L !== undefined) return 3 + value.L.reduce((sum, v) => sum + 1 + valueBytes(v), 0);
  if (value.M !== undefined) return 3 + itemBytes(value.M) + Object.keys(value.M).length;
  if (value.SS !== undefined) return value.SS.reduce((sum, s) => sum + Buffer.byteLength(s), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, n) => sum + n.length, 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, b) => sum + b.byteLength, 0);
  return 0;
};

/** The item's size in bytes, as DynamoDB holds it to {@link DYNAMODB_MAX_ITEM_BYTES}. */
export const itemBytes = (item: Readonly<Record<string, AttributeValue>>): number =>
  Object.entries(item).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name) + valueBytes(value),
    0,
  );

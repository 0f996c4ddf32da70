import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { DYNAMODB_MAX_ITEM_BYTES, itemBytes } from '../../lambdas/adapters/dynamodb/item-size.js';

describe('itemBytes', () => {
  it('counts names and values as DynamoDB does', () => {
    // 'pk' 2 + 'TN#1' 4; 'n' 1 + 12345 (5 digits: 3 + 1); 'ok' 2 + 1
    expect(itemBytes(marshall({ pk: 'TN#1', n: 12345, ok: true }))).toBe(6 + 5 + 3);
    // 'l' 1 + list 3 + 2 elements (1 + 1 byte each); 'm' 1 + map 3 + 'a' 1 + 'é' 2 + 1
    expect(itemBytes(marshall({ l: ['x', 'y'], m: { a: 'é' } }))).toBe(1 + 3 + 4 + 1 + 3 + 4);
  });

  it('grows with the text it holds, in UTF-8 bytes', () => {
    const small = itemBytes(marshall({ text: 'a'.repeat(1_000) }));
    const large = itemBytes(marshall({ text: 'ü'.repeat(1_000) }));

    expect(large - small).toBe(1_000);
    expect(DYNAMODB_MAX_ITEM_BYTES).toBe(409_600);
  });
});

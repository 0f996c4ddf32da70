import { describe, expect, it } from 'vitest';
import {
  memberKey,
  membersPartition,
  rollupKey,
  rollupKeys,
} from '../../lambdas/adapters/dynamodb/rollup-keys.js';
import { rollupGroupId } from '../../lambdas/domain/call-log-item.js';

const CALL = {
  startedAt: '2026-11-23T15:00:00.000Z',
  locationId: 'austin-north',
  dialed: '+15125550151',
} as const;

describe('rollup keys in the call-log table', () => {
  it('a group id gives back its rollup key, even with # in the source', () => {
    for (const source of ['Google Ads', 'Billboard #3']) {
      const group = rollupGroupId({ ...CALL, source });
      expect(rollupKey(group)).toEqual({
        pk: 'ROLLUP#2026-11-23',
        sk: `austin-north#${source}#+15125550151`,
      });
      expect(rollupKeys({ ...CALL, source })).toEqual(rollupKey(group));
    }
  });

  it('puts a group’s members in their own partition, one sort key per call', () => {
    const group = rollupGroupId({ ...CALL, source: 'Google Ads' });
    expect(membersPartition(group)).toBe(`MEMBERS#${group}`);
    expect(memberKey(group, 'c-1')).toEqual({ pk: `MEMBERS#${group}`, sk: 'CALL#c-1' });
  });
});

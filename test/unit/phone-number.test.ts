import { describe, expect, it } from 'vitest';
import { isE164, maskDigitRuns, maskPhoneNumber } from '../../lambdas/domain/phone-number.js';

describe('maskPhoneNumber', () => {
  it.each([
    ['a US number', '+15551230000', '+1555*****00'],
    ['an 11-character number', '+1555012345', '+1555****45'],
    ['a 10-character number', '+155501234', '+1555***34'],
    ['a 9-character number', '+15550123', '+155***23'],
    ['an 8-character number', '+1555012', '+15***12'],
    ['a 7-character number (once logged whole)', '+155501', '+1***01'],
    ['a 6-character value', '+15550', '***'],
    ['a 1-character value', '5', '***'],
  ])('masks %s', (_, value, masked) => {
    expect(maskPhoneNumber(value)).toBe(masked);
  });

  it.each([undefined, null, ''])('says none for %j', (value) => {
    expect(maskPhoneNumber(value)).toBe('none');
  });

  it('shows at most the first 5 and last 2 characters and hides at least 3, at every length', () => {
    const digits = '123456789012345678901234';
    for (let length = 1; length <= digits.length; length += 1) {
      const value = digits.slice(0, length);
      const masked = maskPhoneNumber(value);

      expect(masked, value).not.toBe(value);
      const [start = '', stars = '', end = ''] =
        /^([^*]*)(\*+)([^*]*)$/.exec(masked)?.slice(1) ?? [];
      expect(stars.length, value).toBeGreaterThanOrEqual(3);
      expect(start.length, value).toBeLessThanOrEqual(5);
      expect(end.length, value).toBeLessThanOrEqual(2);
      expect(value.startsWith(start), value).toBe(true);
      expect(value.endsWith(end), value).toBe(true);
      if (masked !== '***') expect(start.length + stars.length + end.length, value).toBe(length);
    }
  });
});

describe('isE164', () => {
  it.each(['+15125550100', '+442075550100', '+12'])('accepts %s', (value) => {
    expect(isE164(value)).toBe(true);
  });

  it.each(['5125550100', '+05125550100', '+1 512 555 0100', '+1234567890123456', '+'])(
    'refuses %s',
    (value) => {
      expect(isE164(value)).toBe(false);
    },
  );
});

describe('maskDigitRuns', () => {
  it.each([
    ['found the string "+15125550150"', 'found the string "+1512*****50"'],
    ['Address "512-555-0150" and (512) 555 0151', 'Address "51255***50" and (51255***51'],
    ['local 555-0150 then more', 'local 55***50 then more'],
  ])('masks every run that may be a number: %s', (text, masked) => {
    expect(maskDigitRuns(text)).toBe(masked);
  });

  it('leaves dates, times, short numbers and positions alone', () => {
    const text =
      'InitiationTimestamp must be ISO 8601 (found the string "2026-13-45T10:00:00Z") at position 123456';
    expect(maskDigitRuns(text)).toBe(text);
  });
});

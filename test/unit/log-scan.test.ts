import { describe, expect, it } from 'vitest';
import { BUSINESS_NUMBERS, callerNumbersIn } from '../support/log-scan.js';

describe('the scan of every log line the suites write', () => {
  it("finds a caller's number in clear, not a masked one nor the business's own numbers", () => {
    expect(BUSINESS_NUMBERS.has('+15125550151')).toBe(true); // a tracking number
    expect(BUSINESS_NUMBERS.has('+15125550101')).toBe(true); // a ring-to line
    expect(callerNumbersIn('{"caller":"+15125559876","dialed":"+15125550151"}')).toEqual([
      '+15125559876',
    ]);
    expect(callerNumbersIn('{"caller":"+1512*****76","dialed":"+15125550151"}')).toEqual([]);
    expect(callerNumbersIn('at 2026-11-23T16:00:00.000Z, contact 1795449600000')).toEqual([]);
    // The number a call dialed is the instance's, even one the table does not know.
    expect(callerNumbersIn('{"dialed":"+15125559999","caller":"+1512*****76"}')).toEqual([]);
    expect(callerNumbersIn('{"note":"+15125559999"}')).toEqual(['+15125559999']);
  });

  it('fails the test that logs a caller number (the setup file checks after each test)', () => {
    // Not logged here: a failing line would fail this test too. The check itself is the
    // afterEach in test/support/log-scan.ts, run for every test of every file.
    expect(callerNumbersIn('reason: caller +13035550187 refused')).toEqual(['+13035550187']);
  });
});

import { readFileSync } from 'node:fs';
import { format } from 'node:util';
import { afterEach, expect } from 'vitest';

/**
 * Every line the suites write to the console (the functions' JSON logs: jsonLog, route-call's and
 * recording-control's lines, the local system's) is scanned for a phone number in clear. The
 * business's own numbers (every number of the example portfolio: tracking, ring-to, fallback,
 * payments lines) may appear, and so may the number a call dialed (a `dialed` or
 * `trackingNumber` field): Connect only reaches the flow through a number of the instance, the
 * business's, which an operator needs in clear to find an unrouted one. Any other number is a
 * caller's, and fails the test that logged it. Masked numbers (`+1512*****76`) are what a log may hold.
 */

const E164 = /(?<![\w*])\+[1-9]\d{7,14}(?!\d)/g;

/** The example portfolio's numbers: the business's, not a caller's. */
export const BUSINESS_NUMBERS: ReadonlySet<string> = new Set(
  readFileSync(new URL('../../config/portfolio.yaml', import.meta.url), 'utf8').match(E164) ?? [],
);

const DIALED_FIELD = /"(?:dialed|trackingNumber)":"\+\d+"/g;

/** The numbers in `line` that are not the business's: a caller's, logged in clear. */
export const callerNumbersIn = (line: string): string[] =>
  (line.replace(DIALED_FIELD, '').match(E164) ?? []).filter(
    (number) => !BUSINESS_NUMBERS.has(number),
  );

const found: string[] = [];

for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
  const original = console[method].bind(console);
  console[method] = (...args: unknown[]) => {
    const line = format(...args);
    const numbers = callerNumbersIn(line);
    if (numbers.length > 0) found.push(`${numbers.join(', ')} in: ${line.slice(0, 400)}`);
    original(...args);
  };
}

afterEach(() => {
  const lines = found.splice(0);
  expect(lines, 'a log line holds a caller number in clear: mask it (maskPhoneNumber)').toEqual([]);
});

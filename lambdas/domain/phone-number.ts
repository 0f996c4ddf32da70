/** E.164: a plus sign, a country code that does not start with 0, at most 15 digits in all. */
export const E164_PATTERN = /^\+[1-9]\d{1,14}$/;

export const isE164 = (value: string): boolean => E164_PATTERN.test(value);

/** The problem of a value that is not E.164, as the handlers word it (after the field's name). */
export const NOT_E164 = 'is not an E.164 number (+, country code, digits; e.g. +15125550100)';

/** Characters a masked number may show at most: its start, and its end. */
const MASK_KEEP_START = 5;
const MASK_KEEP_END = 2;
/** Characters a masked number always hides, however short it is. */
const MASK_HIDE_AT_LEAST = 3;

/**
 * Masks a caller's number for logs: keeps the country/area prefix and the last two digits, so a
 * support engineer can correlate a call without the log holding personal data. At most the first
 * 5 and the last 2 characters show, and at least 3 are always hidden; a value of 6 characters or
 * fewer is only `***`.
 */
export const maskPhoneNumber = (value: string | null | undefined): string => {
  if (!value) return 'none';
  if (value.length <= 6) return '***';
  const hidden = Math.max(MASK_HIDE_AT_LEAST, value.length - MASK_KEEP_START - MASK_KEEP_END);
  const start = value.length - hidden - MASK_KEEP_END;
  return `${value.slice(0, start)}${'*'.repeat(hidden)}${value.slice(-MASK_KEEP_END)}`;
};

/** A run that may be a phone number: 7 or more digits, maybe after a +, maybe with separators. */
const DIGIT_RUN = /\+?\d(?:[\s().-]*\d){6,}/g;

/**
 * The text with every run that may be a phone number masked as {@link maskPhoneNumber} does: for
 * reasons and messages that quote what a record held (a malformed record's problem, a parser's
 * error), which go to logs and queues that outlive the call. Dates stay as they are.
 */
export const maskDigitRuns = (text: string): string =>
  text.replace(DIGIT_RUN, (run) =>
    // A date (2026-11-20, as in timestamps) is not a number anybody owns: the reason keeps it.
    /^\d{4}-\d{2}-\d{2}$/.test(run) ? run : maskPhoneNumber(run.replace(/[\s().-]/g, '')),
  );

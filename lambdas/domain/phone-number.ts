/** E.164: a plus sign, a country code that does not start with 0, at most 15 digits in all. */
export const E164_PATTERN = /^\+[1-9]\d{1,14}$/;

export const isE164 = (value: string): boolean => E164_PATTERN.test(value);

/**
 * Masks a caller's number for logs: keeps the country/area prefix and the last two digits, so a
 * support engineer can correlate a call without the log holding personal data.
 */
export const maskPhoneNumber = (value: string | null | undefined): string => {
  if (!value) return 'none';
  if (value.length <= 6) return '***';
  return `${value.slice(0, 5)}${'*'.repeat(value.length - 7)}${value.slice(-2)}`;
};

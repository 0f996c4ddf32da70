import { locationIdSchema } from '../../domain/catalog.js';
import { isE164, NOT_E164 } from '../../domain/phone-number.js';
import { invalidResource } from '../../domain/request-errors.js';

/** The ids the management routes take from their paths; a bad one is an `invalid-path` refusal. */

/** The tracking number in the path: `+1…`, `%2B1…`, or ` 1…` (a `+` decoded as a space). */
export const trackingNumberFromPath = (raw: string | undefined): string => {
  const value = (raw ?? '').replace(/^%2B/i, '+').replace(/^ /, '+');
  if (!isE164(value)) {
    throw invalidResource('path', 'the tracking number in the path is not valid', [
      `number ${JSON.stringify(raw ?? '')} ${NOT_E164}; in a URL write + as %2B`,
    ]);
  }
  return value;
};

export const locationIdFromPath = (raw: string | undefined): string => {
  const parsed = locationIdSchema.safeParse(raw);
  if (!parsed.success) {
    throw invalidResource('path', 'the location id in the path is not valid', [
      `id ${JSON.stringify(raw ?? '')} ${parsed.error.issues[0]?.message ?? 'is not valid'}`,
    ]);
  }
  return parsed.data;
};

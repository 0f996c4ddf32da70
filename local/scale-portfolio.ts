import { parsePortfolio } from '../lambdas/domain/portfolio/parse.js';
import type { Portfolio } from '../lambdas/domain/portfolio/schema.js';

/**
 * A generated portfolio of many tracking numbers, for the scale tests and the synth benchmark:
 * `numbers` tracking numbers already in the instance (`number:`) spread over `locations`, plus
 * `claims` numbers the stack claims. Locations vary the way real ones do (split hours, menus,
 * queue, voicemail and number fallbacks, published lines), so each entry carries a realistic
 * route. Every kind of number lives in its own area code, so no ring-to can be a number that
 * reaches the system: the result passes the portfolio's schema and loop check.
 */
export interface ScalePortfolioShape {
  /** Tracking numbers given as `number:` (already in the Connect instance). */
  readonly numbers: number;
  readonly locations: number;
  /** Tracking numbers given as `claim:`. @default 0 */
  readonly claims?: number;
}

// One area code per kind of number: tracking, ring-to, published, fallback and payment lines.
const TRACKING_AREA = '512';
const RING_TO_AREA = '737';
const PUBLISHED_AREA = '830';
const FALLBACK_AREA = '210';
const PAYMENTS_AREA = '361';
/** Numbers of one kind available in its area code (7 digits after it). */
const AREA_CAPACITY = 9_000_000;

const number = (area: string, index: number): string => {
  if (index >= AREA_CAPACITY) {
    throw new Error(`scale portfolio: index ${index} does not fit in area code ${area}`);
  }
  return `+1${area}${String(1_000_000 + index).padStart(7, '0')}`;
};

/** One call center per this many locations, as regional operators run them. */
const LOCATIONS_PER_QUEUE = 25;
const SOURCES = ['Google Ads', 'Yelp', 'Google Business Profile', 'Direct mail', 'Billboard'];
const TIME_ZONES = ['America/Chicago', 'America/Denver', 'America/New_York', 'America/Phoenix'];
const WEEKDAY_HOURS = ['09:00-18:00', '08:30-12:00,13:00-17:30', '07:00-19:00'];

const locationId = (index: number): string => `location-${String(index + 1).padStart(4, '0')}`;

const location = (index: number, queueCount: number) => {
  const weekday = WEEKDAY_HOURS[index % WEEKDAY_HOURS.length];
  const queue = `call-center-${(index % queueCount) + 1}`;
  const fallbacks = [
    { type: 'queue', queue },
    { type: 'voicemail', number: number(FALLBACK_AREA, index) },
    { type: 'number', number: number(FALLBACK_AREA, index) },
  ];
  const name = `Self Storage ${index + 1} on Main Street`;
  return {
    id: locationId(index),
    name,
    timeZone: TIME_ZONES[index % TIME_ZONES.length],
    hours: {
      mon: weekday,
      tue: weekday,
      wed: weekday,
      thu: weekday,
      fri: weekday,
      sat: index % 2 ? '10:00-14:00' : '09:00-17:00',
      sun: index % 3 ? 'closed' : '10:00-16:00',
    },
    ringTo: number(RING_TO_AREA, index),
    ...(index % 4 ? { ringTimeoutSeconds: 20 } : {}),
    publishedNumbers: [number(PUBLISHED_AREA, index)],
    recording:
      index % 5
        ? { enabled: true, disclosure: `Thanks for calling ${name}. This call may be recorded.` }
        : { enabled: false },
    fallback: fallbacks[index % fallbacks.length],
    ...(index % 2
      ? {}
      : {
          menu: {
            prompt: 'For rentals and questions, press 1. To make a payment, press 2.',
            payments:
              index % 4
                ? { type: 'number', number: number(PAYMENTS_AREA, index) }
                : { type: 'queue', queue },
          },
        }),
  };
};

/** The generated portfolio, parsed and checked as `cdk synth` checks a file. */
export const scalePortfolio = ({
  numbers,
  locations,
  claims = 0,
}: ScalePortfolioShape): Portfolio => {
  if (!Number.isInteger(locations) || locations < 1) {
    throw new Error(`scale portfolio: locations must be a whole number ≥ 1, got ${locations}`);
  }
  if (!Number.isInteger(numbers) || !Number.isInteger(claims) || numbers + claims < 1) {
    throw new Error(
      `scale portfolio: numbers and claims must be whole numbers with at least one in total, got ${numbers} and ${claims}`,
    );
  }
  const queueCount = Math.ceil(locations / LOCATIONS_PER_QUEUE);
  const trackingNumber = (index: number) => ({
    id: `tn-${String(index + 1).padStart(5, '0')}`,
    location: locationId(index % locations),
    source: SOURCES[index % SOURCES.length],
    ...(index % 3 ? { campaign: `campaign-${(index % 7) + 1}` } : {}),
  });
  const raw = {
    defaults: {
      staticFallbackNumber: number(FALLBACK_AREA, AREA_CAPACITY - 1),
      ringTimeoutSeconds: 25,
    },
    queues: Array.from({ length: queueCount }, (_, i) => ({
      id: `call-center-${i + 1}`,
      name: `Regional call center ${i + 1}`,
    })),
    locations: Array.from({ length: locations }, (_, i) => location(i, queueCount)),
    trackingNumbers: [
      ...Array.from({ length: numbers }, (_, i) => ({
        ...trackingNumber(i),
        number: number(TRACKING_AREA, i),
      })),
      ...Array.from({ length: claims }, (_, i) => ({
        ...trackingNumber(numbers + i),
        claim: { country: 'US', type: 'DID', prefix: `+1${TRACKING_AREA}` },
      })),
    ],
  };
  return parsePortfolio(
    raw,
    `scale portfolio (${numbers} numbers, ${claims} claims, ${locations} locations)`,
  );
};

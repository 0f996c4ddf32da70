import { describe, expect, it } from 'vitest';
import { parseContactRecord } from '../../lambdas/adapters/connect/contact-record.js';
import {
  ATTRIBUTED_STATUS,
  attributeFromEntry,
  numberToAttribute,
} from '../../lambdas/domain/attribution.js';
import { callLogItem } from '../../lambdas/domain/call-log-item.js';
import { classifyCall } from '../../lambdas/domain/call-outcome.js';
import type { ContactRecord } from '../../lambdas/domain/contact-record.js';
import { EXAMPLE_ANSWER, EXAMPLE_ENTRY } from '../support/fixtures.js';

/** A record of a call that never ran the system's flow: no route-call attributes. */
const historical = (overrides: Record<string, unknown> = {}): ContactRecord => {
  const parsed = parseContactRecord({
    ContactId: 'hist-1',
    Channel: 'VOICE',
    InitiationMethod: 'INBOUND',
    InitiationTimestamp: '2026-06-01T15:00:00Z',
    DisconnectTimestamp: '2026-06-01T15:03:00Z',
    LastUpdateTimestamp: '2026-06-01T15:04:00Z',
    SystemEndpoint: { Address: EXAMPLE_ENTRY.trackingNumber, Type: 'TELEPHONE_NUMBER' },
    CustomerEndpoint: { Address: '+15125559876', Type: 'TELEPHONE_NUMBER' },
    Attributes: { greeting: 'summer' },
    TransferredToEndpoint: { Address: EXAMPLE_ENTRY.route.ringTo, Type: 'TELEPHONE_NUMBER' },
    TransferCompletedTimestamp: '2026-06-01T15:00:20Z',
    ...overrides,
  });
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.record;
};

describe('attributing a call that never asked route-call', () => {
  it('looks up the number it dialed, and only when route-call did not answer for it', () => {
    expect(numberToAttribute(historical())).toBe(EXAMPLE_ENTRY.trackingNumber);
    expect(numberToAttribute(historical({ Attributes: { status: 'unknown' } }))).toBeUndefined();
    expect(numberToAttribute(historical({ SystemEndpoint: null }))).toBeUndefined();
  });

  it('gives the call the location, source and route of the entry, keeping its own attributes', () => {
    const record = attributeFromEntry(historical(), EXAMPLE_ENTRY);
    expect(record.attributes).toMatchObject({
      ...EXAMPLE_ANSWER,
      status: ATTRIBUTED_STATUS,
      greeting: 'summer',
    });
    // The transfer went to the location's ring-to: the outcome rules can now tell.
    expect(classifyCall(historical())).toBe('answered-fallback');
    expect(classifyCall(record)).toBe('answered-location');
    expect(callLogItem(record, classifyCall(record), { firstTime: true })).toMatchObject({
      locationId: EXAMPLE_ENTRY.locationId,
      source: EXAMPLE_ENTRY.source,
      campaign: EXAMPLE_ENTRY.campaign,
      routeStatus: ATTRIBUTED_STATUS,
    });
  });

  it('never overrides what the record itself says', () => {
    const record = attributeFromEntry(
      historical({ Attributes: { source: 'Radio' } }),
      EXAMPLE_ENTRY,
    );
    expect(record.attributes.source).toBe('Radio');
  });
});

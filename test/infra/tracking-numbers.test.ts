import { App, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import type { PortfolioTrackingNumber } from '../../lambdas/domain/portfolio/schema.js';
import { TrackingNumbers } from '../../lib/constructs/tracking-numbers.js';
import { synthApp } from '../support/synth.js';

/**
 * The association must finish within what a deploy may wait (55 minutes, with a margin of 1.5 for
 * throttling and pauses) at 80 % of the account's rate: synth refuses a portfolio that cannot.
 */

const INSTANCE_ARN = 'arn:aws:connect:us-east-1:123456789012:instance/instance-1';

const portfolioNumbers = (count: number): PortfolioTrackingNumber[] =>
  Array.from({ length: count }, (_, i) => ({
    id: `tn-${i}`,
    location: 'austin',
    source: 'search',
    number: `+1512${String(5_550_000 + i)}`,
  }));

const trackingNumbers = (count: number, associationRateLimit?: number) =>
  // No bundling: only the construct's own checks are under test.
  new TrackingNumbers(new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } })), 'TN', {
    instanceArn: INSTANCE_ARN,
    contactFlowArn: `${INSTANCE_ARN}/contact-flow/flow-1`,
    trackingNumbers: portfolioNumbers(count),
    ...(associationRateLimit === undefined ? {} : { associationRateLimit }),
  });

describe('TrackingNumbers: what one association can carry', () => {
  it('takes 2,000 numbers at the default 2 requests a second (about 21 minutes)', () => {
    expect(() => trackingNumbers(2_000)).not.toThrow();
  });

  it('fails naming the time and the fix when the numbers cannot be associated in time', () => {
    expect(() => trackingNumbers(3_600)).toThrowError(
      '3600 tracking numbers take about 38 minutes to associate at 2 requests a second (80 % of it), too close to the 55 minutes a deploy may wait: raise the AssociatePhoneNumberContactFlow quota and pass it as -c associationRateLimit=<requests a second>, or split the numbers across instances',
    );
  });

  it('fails on a rate limit that is no rate', () => {
    expect(() => trackingNumbers(10, -1)).toThrowError(
      "associationRateLimit must be the account's AssociatePhoneNumberContactFlow quota in requests a second, from 0.1 to 100, got -1",
    );
  });

  it('takes more numbers once the quota is raised', () => {
    expect(() => trackingNumbers(3_600, 5)).not.toThrow();
  });
});

describe('the association rate, from -c associationRateLimit', () => {
  it("reaches the association function's environment; unset, the function takes its default", () => {
    const rateOf = (telephony: ReturnType<typeof synthApp>['telephony']) =>
      Object.values(telephony.findResources('AWS::Lambda::Function'))
        .map((fn) => fn.Properties.Environment?.Variables?.ASSOCIATION_RATE_LIMIT)
        .filter((rate) => rate !== undefined);
    expect(rateOf(synthApp({ associationRateLimit: 5 }).telephony)).toEqual(['5']);
    expect(rateOf(synthApp().telephony)).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import type { Portfolio } from '../../lambdas/domain/portfolio/schema.js';
import { loadPortfolio } from '../../lib/config/load-portfolio.js';
import { type PreflightInput, planPreflight } from '../../ops/preflight/checks.js';
import type { AccountFacts } from '../../ops/preflight/facts.js';
import { INSTANCE_ARN } from '../support/fixtures.js';

/**
 * preflight's verdicts from facts alone (no AWS): the arithmetic of the claim/release allowance,
 * the association time, Lambda's unreserved concurrency, and checks that could not be made.
 */

const EXAMPLE = loadPortfolio('config/portfolio.yaml');

/** A portfolio of `count` numbers to claim, copied from the example's entries. */
const claiming = (count: number): Portfolio => {
  const [first] = EXAMPLE.trackingNumbers;
  if (!first) throw new Error('the example has no tracking numbers');
  return {
    ...EXAMPLE,
    trackingNumbers: Array.from({ length: count }, (_, i) => ({
      id: `${first.location}-${i}`,
      location: first.location,
      source: first.source,
      claim: { country: 'US', type: 'DID' as const },
    })),
  };
};

const newInstanceFacts = (quotas: AccountFacts['quotas'] = {}): AccountFacts => ({
  region: 'us-east-1',
  instances: { value: [] },
  quotas,
  lambda: { value: { concurrentExecutions: 1000, unreservedConcurrentExecutions: 1000 } },
});

const input = (portfolio: Portfolio, more: Partial<PreflightInput> = {}): PreflightInput => ({
  portfolio,
  stackPrefix: 'call-tracking',
  stackReservedConcurrency: 0,
  ...more,
});

const checksOf = (findings: readonly { check: string }[]) => findings.map((f) => f.check);

describe('planPreflight', () => {
  it('warns when a failed first deploy and its retry would pass the claim/release allowance', () => {
    // 10 claims: a failed attempt claims and releases 10, the retry claims 10 more: 30.
    const tight = planPreflight(
      input(claiming(10)),
      newInstanceFacts({ phoneNumbersPerInstance: { value: 12 } }),
    );
    expect(tight.ok).toBe(true);
    expect(tight.warnings).toEqual([
      expect.objectContaining({
        check: 'claim-release',
        message: expect.stringContaining(
          '30 claims and releases of the Phone number claim/release allowance',
        ),
      }),
    ]);
    expect(tight.warnings[0]?.message).toContain('of 24.');
    expect(tight.warnings[0]?.message).toContain('open an AWS Support case');

    const roomy = planPreflight(
      input(claiming(10)),
      newInstanceFacts({ phoneNumbersPerInstance: { value: 15 } }),
    );
    expect(checksOf(roomy.warnings)).toEqual([]);
    expect(roomy.passed).toContainEqual({
      check: 'claim-release',
      message:
        '10 claims: a failed first deploy and its retry use 30 of the claim/release allowance of 30',
    });
  });

  it('into a new instance, says its quota can be raised only once it exists', () => {
    const report = planPreflight(input(claiming(8)), newInstanceFacts());

    expect(report.failures).toEqual([
      {
        check: 'phone-number-quota',
        message: expect.stringContaining(
          "is 5: the claims past it fail the deploy; request 8 (an instance's quota can be raised only once it exists: deploy first with at most 5 claims",
        ),
      },
    ]);
  });

  it('fails where synth would refuse the association time, and warns when it is long', () => {
    const numbers = { phoneNumbersPerInstance: { value: 10_000 } };
    // 4,000 at 1.6 requests a second (80 % of 2): 42 minutes, over 55 / 1.5.
    const refused = planPreflight(input(claiming(4_000)), newInstanceFacts(numbers));
    expect(refused.failures.find((f) => f.check === 'association-rate')?.message).toMatch(
      /^4000 tracking numbers take about 42 minutes to associate at 2 requests a second .*synth refuses it: request a higher .*\(L-D2ECB451\) and deploy with -c associationRateLimit=/,
    );

    // 2,000: 21 minutes, within what a deploy may wait, but long: said.
    const long = planPreflight(input(claiming(2_000)), newInstanceFacts(numbers));
    expect(checksOf(long.failures)).not.toContain('association-rate');
    expect(long.warnings.find((w) => w.check === 'association-rate')?.message).toMatch(
      /^associating 2000 tracking numbers with the flow takes about 21 min at 2 requests\/s.*\(L-D2ECB451\)$/,
    );

    const faster = planPreflight(
      input(claiming(4_000)),
      newInstanceFacts({ ...numbers, associatePhoneNumberContactFlowRate: { value: 5 } }),
    );
    expect(checksOf(faster.failures)).not.toContain('association-rate');
    expect(checksOf(faster.warnings)).not.toContain('association-rate');
  });

  it('fails on what cdk synth refuses of the portfolio itself: a claim that can find no number', () => {
    const portfolio = claiming(2);
    const [first, second] = portfolio.trackingNumbers;
    if (!first || !second) throw new Error('claiming(2) gave fewer entries');
    const tollFreeDid = {
      ...portfolio,
      trackingNumbers: [
        { ...first, claim: { country: 'US', type: 'DID' as const, prefix: '+1800' } },
        second,
      ],
    };
    const report = planPreflight(input(tollFreeDid), newInstanceFacts());
    expect(report.failures.find((f) => f.check === 'synth')?.message).toMatch(
      /^cdk synth would refuse this: .*toll-free area code/,
    );
    expect(checksOf(planPreflight(input(claiming(2)), newInstanceFacts()).passed)).toContain(
      'synth',
    );
  });

  it("counts the stack's own reserved concurrency against the 100 Lambda keeps unreserved", () => {
    const facts = {
      ...newInstanceFacts(),
      lambda: { value: { concurrentExecutions: 1000, unreservedConcurrentExecutions: 900 } },
    };
    expect(planPreflight(input(claiming(1)), facts).ok).toBe(true);

    const reserving = planPreflight(input(claiming(1), { stackReservedConcurrency: 850 }), facts);
    expect(checksOf(reserving.failures)).toEqual(['lambda-concurrency']);
    // 100 reserved elsewhere, 850 by the stack, 100 left unreserved.
    expect(reserving.quotaIncreases).toEqual([
      expect.objectContaining({ quotaCode: 'L-B99A9384', current: 1000, needed: 1050 }),
    ]);
  });

  it('warns, and fails nothing, when Lambda or the instance list cannot be read', () => {
    const denied = {
      kind: 'denied' as const,
      action: 'lambda:GetAccountSettings',
      detail: 'AccessDeniedException: no',
    };
    const report = planPreflight(input(claiming(1)), {
      ...newInstanceFacts(),
      instances: { failure: { ...denied, action: 'connect:ListInstances' } },
      lambda: { failure: denied },
    });
    expect(report.ok).toBe(true);
    expect(checksOf(report.warnings)).toEqual(['instances', 'lambda-concurrency']);
    expect(report.warnings[1]?.message).toContain(
      'check by hand that 100 concurrent executions stay unreserved, quota L-B99A9384',
    );
  });

  it('fails on an instance of another region, and reads nothing more of it', () => {
    const arn = INSTANCE_ARN.replace('us-east-1', 'eu-west-2');
    const report = planPreflight(input(EXAMPLE, { instanceArn: arn }), {
      ...newInstanceFacts(),
      instance: {
        arn,
        description: {
          value: {
            status: 'ACTIVE',
            alias: 'x',
            inboundCallsEnabled: true,
            outboundCallsEnabled: true,
          },
        },
      },
    });
    expect(report.failures[0]).toEqual({
      check: 'instance',
      message: expect.stringContaining(
        'the instance is in eu-west-2 but preflight read us-east-1: Connect invokes functions in its own region only',
      ),
    });
    expect(checksOf(report.passed)).not.toContain('instance');
  });
});

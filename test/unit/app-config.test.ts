import { describe, expect, it } from 'vitest';
import { PortfolioError } from '../../lambdas/domain/portfolio/parse.js';
import { ContextError, readAppConfig } from '../../lib/config/app-config.js';
import { DEFAULT_API_THROTTLE } from '../../lib/constructs/reporting-api.js';

/** The app's configuration from a context given as a record, as `-c key=value` would give it. */
const configOf = (context: Record<string, string> = {}, env = {}) =>
  readAppConfig((key) => (Object.hasOwn(context, key) ? context[key] : undefined), env);

const refusal = (context: Record<string, string>): string => {
  try {
    configOf(context);
  } catch (error) {
    expect(error).toBeInstanceOf(ContextError);
    return (error as Error).message;
  }
  throw new Error(`${JSON.stringify(context)} was accepted`);
};

describe('readAppConfig', () => {
  it('gives the defaults without context: the example portfolio, no env, call-tracking', () => {
    const config = configOf();
    expect(config.portfolioFile).toBe('config/portfolio.yaml');
    expect(config.portfolio.locations.length).toBeGreaterThan(0);
    expect(config.stackPrefix).toBe('call-tracking');
    expect(config.env).toBeUndefined();
    expect(config.recordingRetentionDays).toBe(365);
    expect(config.callDataRetentionDays).toBe(365);
    expect(config.apiThrottle).toEqual(DEFAULT_API_THROTTLE);
    expect(config).not.toHaveProperty('existingInstanceArn');
    expect(config).not.toHaveProperty('apiCorsOrigins');
    expect(config).not.toHaveProperty('configureRecordingStorage');
  });

  it('takes the account and region the CDK CLI resolved, each alone too', () => {
    expect(
      configOf({}, { CDK_DEFAULT_ACCOUNT: '111122223333', CDK_DEFAULT_REGION: 'eu-west-2' }).env,
    ).toEqual({ account: '111122223333', region: 'eu-west-2' });
    expect(configOf({}, { CDK_DEFAULT_REGION: 'us-west-2' }).env).toEqual({ region: 'us-west-2' });
  });

  it('reads each accepted context value into its field', () => {
    const config = configOf({
      stackPrefix: 'Tracking',
      connectInstanceArn: 'arn:aws:connect:us-east-1:111122223333:instance/abc',
      instanceAlias: 'storage-calls',
      recordingStorage: 'false',
      contactRecordStorage: 'true',
      recordingRetentionDays: '90',
      callDataRetentionDays: '30',
      apiCorsOrigins: 'https://a.example.com, https://b.example.com',
      apiThrottleRate: '2.5',
      apiThrottleBurst: '10',
      authDomainPrefix: 'storage-calls-auth',
      apiCallbackUrls: 'https://app.example.com/callback',
      associationRateLimit: '5',
      routeMaxStaleHours: '6',
      contactRecordArchiveDays: '730',
      alarmEmails: 'ops@example.com, oncall@example.org',
      connectConcurrentCalls: '250',
    });
    expect(config).toMatchObject({
      stackPrefix: 'Tracking',
      existingInstanceArn: 'arn:aws:connect:us-east-1:111122223333:instance/abc',
      instanceAlias: 'storage-calls',
      configureRecordingStorage: false,
      configureContactRecordStorage: true,
      recordingRetentionDays: 90,
      callDataRetentionDays: 30,
      apiCorsOrigins: ['https://a.example.com', 'https://b.example.com'],
      apiThrottle: { rateLimit: 2.5, burstLimit: 10 },
      authDomainPrefix: 'storage-calls-auth',
      apiCallbackUrls: ['https://app.example.com/callback'],
      associationRateLimit: 5,
      routeMaxStaleHours: 6,
      contactRecordArchiveDays: 730,
      alarmEmails: ['ops@example.com', 'oncall@example.org'],
      connectConcurrentCalls: 250,
    });
  });

  it("defaults the concurrent-call quota to Connect's default of 10 and emails nobody", () => {
    const config = configOf();
    expect(config.connectConcurrentCalls).toBe(10);
    expect(config.alarmEmails).toBeUndefined();
  });

  it('refuses an alarm email that is not an address and a call quota that is not a count', () => {
    expect(refusal({ alarmEmails: 'ops@example.com,oncall' })).toBe(
      '-c alarmEmails: "oncall" is not an email address (give a comma-separated list, e.g. -c alarmEmails=ops@example.com,oncall@example.com)',
    );
    for (const calls of ['0', '2.5', 'ten', '10001']) {
      expect(refusal({ connectConcurrentCalls: calls })).toMatch(
        new RegExp(
          `^-c connectConcurrentCalls=${calls} is not a whole number of calls from 1 to 10000: give the instance's "Concurrent active calls per instance" quota`,
        ),
      );
    }
  });

  it('fails on a value that is not what its key takes, naming the key and the value', () => {
    // Callers' data follows the recordings' retention unless given.
    expect(configOf({ recordingRetentionDays: '90' }).callDataRetentionDays).toBe(90);
    expect(refusal({ callDataRetentionDays: 'a year' })).toMatch(/callDataRetentionDays/);
    expect(refusal({ recordingRetentionDays: '0' })).toBe(
      '-c recordingRetentionDays=0 is not a positive whole number of days',
    );
    expect(refusal({ apiThrottleRate: '-1' })).toBe(
      '-c apiThrottleRate=-1 is not a positive number of requests per second',
    );
    expect(refusal({ associationRateLimit: 'fast' })).toBe(
      '-c associationRateLimit=fast is not a positive number of AssociatePhoneNumberContactFlow requests per second (the raised quota)',
    );
    expect(refusal({ routeMaxStaleHours: '169' })).toMatch(
      /^-c routeMaxStaleHours=169 is not a whole number of hours from 0 to 168/,
    );
    expect(refusal({ apiThrottleBurst: '1.5' })).toBe(
      '-c apiThrottleBurst=1.5 is not a positive whole number of requests',
    );
    expect(refusal({ recordingStorage: 'yes' })).toBe(
      '-c recordingStorage=yes must be true or false',
    );
    expect(refusal({ contactRecordStorage: '1' })).toBe(
      '-c contactRecordStorage=1 must be true or false',
    );
    expect(refusal({ apiCorsOrigins: '*' })).toContain('apiCorsOrigins must list the origins');
    expect(refusal({ apiCallbackUrls: 'http://app.example.com/cb' })).toContain('must use https');
    expect(refusal({ authDomainPrefix: 'Has Spaces' })).toMatch(
      /^-c authDomainPrefix=Has Spaces: /,
    );
  });

  it('fails when the default Cognito prefix (from the stack prefix) is not a valid one', () => {
    expect(refusal({ stackPrefix: 'aws-tracking' })).toContain(
      'choose one with -c authDomainPrefix=<prefix>',
    );
  });

  it('fails on a portfolio file it cannot read, saying which option names it', () => {
    expect(() => configOf({ portfolio: 'config/no-such-portfolio.yaml' })).toThrow(PortfolioError);
    expect(() => configOf({ portfolio: 'config/no-such-portfolio.yaml' })).toThrow(
      /-c portfolio=<path>/,
    );
  });
});

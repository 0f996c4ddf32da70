import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ingestEnvironment, priceTableVariable } from '../../lambdas/contracts/environment.js';
import { DEFAULT_PRICE_TABLE, priceTableOf } from '../../lambdas/domain/call-cost.js';
import { PortfolioError, parsePortfolio } from '../../lambdas/domain/portfolio/parse.js';

const example = (): Record<string, any> => parse(readFileSync('config/portfolio.yaml', 'utf8'));

const PRICING = {
  date: '2027-01-15',
  servicePerMinute: '0.038',
  // Unquoted in YAML: a number, read as the same decimal.
  inboundDidPerMinute: 0.0022,
  outboundPerMinute: '0.0125',
};

describe('the price table in the configuration', () => {
  it('is the default US table without a pricing block', () => {
    const portfolio = parsePortfolio(example(), 'config/portfolio.yaml');
    expect(portfolio.pricing).toBeUndefined();
    expect(priceTableOf(portfolio.pricing)).toBe(DEFAULT_PRICE_TABLE);
  });

  it('takes the portfolio’s rates and date, Connect’s minimums kept', () => {
    const portfolio = parsePortfolio({ ...example(), pricing: PRICING }, 'config/portfolio.yaml');
    expect(priceTableOf(portfolio.pricing)).toEqual({
      currency: 'USD',
      date: '2027-01-15',
      lines: {
        service: { perMinuteMicros: 38_000, minimumSeconds: 10 },
        'inbound-did': { perMinuteMicros: 2_200, minimumSeconds: 60 },
        'outbound-transfer': { perMinuteMicros: 12_500, minimumSeconds: 60 },
      },
    });
  });

  it('refuses a rate that is not a decimal, naming the field', () => {
    let problems: readonly string[] = [];
    try {
      parsePortfolio(
        { ...example(), pricing: { ...PRICING, outboundPerMinute: '$0.01' } },
        'config/test.yaml',
      );
    } catch (error) {
      expect(error).toBeInstanceOf(PortfolioError);
      problems = (error as PortfolioError).problems;
    }
    expect(problems.join('\n')).toMatch(/pricing\.outboundPerMinute.*at most 6 decimals/);
  });

  it('reaches the ingest through PRICE_TABLE, and a bad one stops it at its first call', () => {
    const table = priceTableOf(parsePortfolio({ ...example(), pricing: PRICING }, 'x').pricing);
    const required = { CALL_LOG_TABLE_NAME: 'log', CALLER_HASH_SECRET_ARN: 'arn' };
    const env = { ...required, PRICE_TABLE: priceTableVariable(table) };
    expect(ingestEnvironment.read(env).prices).toEqual(table);
    expect(ingestEnvironment.read(required).prices).toBeUndefined();
    expect(() => ingestEnvironment.read({ ...env, PRICE_TABLE: '{"currency":"EUR"}' })).toThrow(
      /PRICE_TABLE must be a price table/,
    );
  });
});

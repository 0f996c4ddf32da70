import { statSync } from 'node:fs';
import { join } from 'node:path';
import { marshall } from '@aws-sdk/util-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DYNAMODB_MAX_ITEM_BYTES, itemBytes } from '../../lambdas/adapters/dynamodb/item-size.js';
import { scalePortfolio } from '../../local/scale-portfolio.js';
import { limitsBroken, TEMPLATE_LIMITS, templateFigures } from '../../local/template-figures.js';
import { routingDocumentOf, synthApp } from '../support/synth.js';

/** `number:` entries need an instance that holds them: synth refuses them into a new one. */
const EXISTING_INSTANCE =
  'arn:aws:connect:us-east-1:123456789012:instance/0f1e2d3c-4b5a-4697-8887-766554433221';

const SHAPE = { numbers: 2_000, locations: 200, claims: 100 } as const;

describe('a portfolio of 2,000 tracking numbers across 200 locations plus 100 claims', () => {
  let synth: ReturnType<typeof synthApp>;
  let stacks: { name: string; figures: ReturnType<typeof templateFigures> }[];

  beforeAll(() => {
    synth = synthApp({
      portfolio: scalePortfolio(SHAPE),
      existingInstanceArn: EXISTING_INSTANCE,
    });
    const assembly = synth.app.synth();
    stacks = assembly.stacks.map((stack) => ({
      name: stack.stackName,
      figures: {
        ...templateFigures(stack.template),
        // The file the CLI uploads, as written to the cloud assembly.
        templateBytes: statSync(join(assembly.directory, stack.templateFile)).size,
      },
    }));
    // 3 to 6 s alone (the validation gates, not the portfolio size); more beside other suites.
  }, 60_000);

  it('synthesizes every template and custom resource within what CloudFormation accepts', () => {
    expect(stacks.map((s) => s.name).sort()).toEqual([
      'call-tracking-api',
      'call-tracking-data',
      'call-tracking-operations',
      'call-tracking-telephony',
    ]);
    expect(stacks.flatMap((s) => limitsBroken(s.name, s.figures))).toEqual([]);
  });

  it('still writes every entry and the whole catalog, through the S3 document', () => {
    const { document, properties } = routingDocumentOf(synth);
    const total = SHAPE.numbers + SHAPE.claims;

    expect(document.entries).toHaveLength(total);
    expect(document.catalog.trackingNumbers).toHaveLength(total);
    expect(document.catalog.locations).toHaveLength(SHAPE.locations);
    // One deploy-time value per claimed number and per created queue, not per entry.
    const values = JSON.stringify(properties.DeployTimeValues);
    expect(values.match(/"Address"\]/g)).toHaveLength(SHAPE.claims);
    expect(values.match(/"QueueArn"\]/g)).toHaveLength(SHAPE.locations / 25);
  });

  it("keeps the catalog within DynamoDB's 400 KB item, with room to grow", () => {
    // Placeholders are longer than the numbers and ARNs they stand for: an upper bound.
    const { catalog } = routingDocumentOf(synth).document;

    expect(itemBytes(marshall(catalog, { removeUndefinedValues: true }))).toBeLessThan(
      0.8 * DYNAMODB_MAX_ITEM_BYTES,
    );
  });

  it(`keeps each stack at ${TEMPLATE_LIMITS.outputs} outputs or fewer (100 claims)`, () => {
    for (const { name, figures } of stacks) {
      expect(figures.outputs, name).toBeLessThanOrEqual(TEMPLATE_LIMITS.outputs);
    }
  });
});

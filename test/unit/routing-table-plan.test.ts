import { describe, expect, it } from 'vitest';
import { deployTimePlaceholder } from '../../lambdas/domain/deploy-time-values.js';
import type { InboundNumber } from '../../lambdas/domain/portfolio/loops.js';
import {
  documentLocationOf,
  InvalidRoutingEntriesError,
  parseRoutingTableProperties,
  planRoutingTableSync,
  RoutingLoopError,
  withDocumentInline,
} from '../../lambdas/domain/routing-table-plan.js';
import { trackingEntry } from '../support/fixtures.js';
import {
  ROUTING_TABLE,
  resourceChanges,
  routingTableProps,
  routingTableUpdate,
} from '../support/resource-changes.js';

const TABLE = ROUTING_TABLE;

const A = trackingEntry('+15125550101', 'austin-google');
const B = trackingEntry('+15125550102', 'austin-bing');
const C = trackingEntry('+15125550103', 'austin-radio');

const props = routingTableProps;
const createChange = resourceChanges.create;
const updateChange = routingTableUpdate;
const deleteChange = (p: Record<string, string>, physicalId = `routing-table:${TABLE}`) =>
  resourceChanges.remove(p, physicalId);

describe('planRoutingTableSync', () => {
  it('puts every entry on Create and deletes nothing', () => {
    const plan = planRoutingTableSync(createChange(props([A, B])));

    expect(plan).toEqual({
      physicalResourceId: `routing-table:${TABLE}`,
      tableName: TABLE,
      put: [A, B],
      removeUnlisted: false,
    });
  });

  it('on Update puts the new entries and removes the portfolio items they do not list', () => {
    const plan = planRoutingTableSync(updateChange(props([A, C]), props([A, B])));

    expect(plan.put.map((e) => e.trackingNumber)).toEqual([A.trackingNumber, C.trackingNumber]);
    expect(plan.removeUnlisted).toBe(true);
    expect(plan.physicalResourceId).toBe(`routing-table:${TABLE}`);
  });

  it('on Update to another table removes nothing from the new one (the old one gets a Delete)', () => {
    const plan = planRoutingTableSync(updateChange(props([A], [], 'new-table'), props([A, B])));

    expect(plan.physicalResourceId).toBe('routing-table:new-table');
    expect(plan.removeUnlisted).toBe(false);
  });

  it('on Delete removes every entry and echoes the physical id', () => {
    const plan = planRoutingTableSync(deleteChange(props([A, B]), 'routing-table:whatever'));

    expect(plan).toEqual({
      physicalResourceId: 'routing-table:whatever',
      tableName: TABLE,
      put: [],
      removeUnlisted: true,
    });
  });

  it('on Delete never throws on properties it cannot read (a rolled-back Create)', () => {
    const plan = planRoutingTableSync(deleteChange({ TableName: TABLE, Entries: 'not json' }));

    expect(plan).toMatchObject({ tableName: TABLE, put: [], removeUnlisted: true });
  });

  it('fails naming the entry whose tracking number is not E.164', () => {
    const bad = { ...B, trackingNumber: '512-555-0102' };

    expect(() => planRoutingTableSync(createChange(props([A, bad])))).toThrowError(
      /Entries\[1\] \(austin-bing 512-555-0102\) trackingNumber is not an E\.164 number/,
    );
  });

  it('fails naming the nested field that is wrong', () => {
    const bad = { ...A, route: { ...A.route, ringTimeoutSeconds: 0, timeZone: 'Mars/Olympus' } };

    const act = () => planRoutingTableSync(createChange(props([bad])));

    expect(act).toThrowError(InvalidRoutingEntriesError);
    expect(act).toThrowError(
      /Entries\[0\] \(austin-google \+15125550101\) route\.ringTimeoutSeconds/,
    );
    expect(act).toThrowError(/route\.timeZone is not an IANA time zone/);
  });

  it('fails on a queue target that is no queue ARN, and on a recording without disclosure', () => {
    const bad = {
      ...A,
      route: {
        ...A.route,
        recording: { enabled: true },
        fallback: { type: 'queue', queueArn: 'call-center' },
      },
    };

    const act = () => planRoutingTableSync(createChange(props([bad])));

    expect(act).toThrowError(/route\.fallback\.queueArn is not a Connect queue ARN/);
    expect(act).toThrowError(/route\.recording\.disclosure must be a string/);
  });

  it('fails on an entry the portfolio does not own', () => {
    expect(() => planRoutingTableSync(createChange(props([{ ...A, owner: 'api' }])))).toThrowError(
      /owner must be "portfolio"/,
    );
  });

  it('fails when Entries is not JSON, or TableName is missing', () => {
    const event = createChange({ ...props([]), TableName: '', Entries: '[{' });

    expect(() => planRoutingTableSync(event)).toThrowError(
      /TableName must be the name of the routing table; Entries is not valid JSON/,
    );
  });

  it('fails when one tracking number is declared twice', () => {
    const twin = { ...B, trackingNumber: A.trackingNumber };

    expect(() => planRoutingTableSync(createChange(props([A, twin])))).toThrowError(
      /tracking number \+15125550101 is declared twice \(austin-google and austin-bing\)/,
    );
  });

  it('fails when a ring-to is a tracking number claimed by the stack', () => {
    const loop = trackingEntry('+15125550104', 'austin-tv', A.trackingNumber);

    const act = () => planRoutingTableSync(createChange(props([A, loop])));

    expect(act).toThrowError(RoutingLoopError);
    expect(act).toThrowError(
      /location austin-north \(via austin-tv\) ring-to is \+15125550101, which is also tracking number austin-google/,
    );
  });

  it('fails when a ring-to is a published number', () => {
    const published = [
      { number: '+15125550199', declaredBy: 'locations[0] (austin).publishedNumbers[0]' },
    ];

    expect(() => planRoutingTableSync(createChange(props([A], published)))).toThrowError(
      /\+15125550199, which is also locations\[0\] \(austin\)\.publishedNumbers\[0\]/,
    );
  });

  it('fails naming what is wrong with the Catalog property', () => {
    const notJson = createChange({ ...props([A]), Catalog: '{' } as ReturnType<typeof props>);
    expect(() => planRoutingTableSync(notJson)).toThrowError(/Catalog is not valid JSON/);

    const catalog = { defaults: {}, queues: [], locations: [], trackingNumbers: [{ number: '1' }] };
    const bad = createChange({ ...props([A]), Catalog: JSON.stringify(catalog) } as ReturnType<
      typeof props
    >);
    expect(() => planRoutingTableSync(bad)).toThrowError(
      /Catalog declaredIn must name the portfolio file; Catalog defaults must hold staticFallbackNumber; Catalog trackingNumbers\[0\]\.number is not an E\.164 number/,
    );
  });

  it('plans the catalog on Create, and its removal on Delete', () => {
    const catalog = {
      declaredIn: 'config/portfolio.yaml',
      defaults: { staticFallbackNumber: '+15125550199' },
      queues: [],
      locations: [],
      trackingNumbers: [],
    };
    const withCatalog = { ...props([A]), Catalog: JSON.stringify(catalog) };
    expect(
      planRoutingTableSync(createChange(withCatalog as ReturnType<typeof props>)).catalog,
    ).toEqual(catalog);
    expect(planRoutingTableSync(deleteChange(withCatalog)).removeCatalog).toBe(true);
    expect(planRoutingTableSync(deleteChange(props([A]))).removeCatalog).toBeUndefined();
  });

  it('accepts a resource without PublishedNumbers', () => {
    const { PublishedNumbers: _, ...withoutPublished } = props([A]);

    expect(
      planRoutingTableSync(createChange(withoutPublished as ReturnType<typeof props>)).put,
    ).toHaveLength(1);
  });
});

describe('parseRoutingTableProperties', () => {
  it('reads the table, the entries, the published numbers and the catalog', () => {
    const published = [{ number: '+15125550188', declaredBy: 'locations[0].publishedNumbers[0]' }];
    const catalog = {
      declaredIn: 'config/portfolio.yaml',
      defaults: { staticFallbackNumber: '+15125550199' },
      queues: [],
      locations: [],
      trackingNumbers: [{ number: A.trackingNumber }],
    };

    const request = parseRoutingTableProperties({
      ...props([A, B], published),
      Catalog: JSON.stringify(catalog),
    });

    expect(request).toEqual({ tableName: TABLE, entries: [A, B], published, catalog });
  });

  it('names each bad published number', () => {
    const published = [{ number: '5550199', declaredBy: ' ' }] as unknown as InboundNumber[];

    expect(() => parseRoutingTableProperties(props([A], published))).toThrowError(
      /PublishedNumbers\[0\] number is not an E\.164 number.*; PublishedNumbers\[0\] declaredBy must not be empty/,
    );
  });

  it('lists the first ten problems and counts the rest', () => {
    const bad = Array.from({ length: 12 }, (_, i) => ({
      ...A,
      trackingId: `tn-${i}`,
      owner: 'api',
    }));

    const act = () => parseRoutingTableProperties(props(bad));

    expect(act).toThrowError(
      /Entries\[9\] \(tn-9 \+15125550101\) owner must be "portfolio"[^;]*; and 2 more$/,
    );
    expect(act).not.toThrowError(/Entries\[10\]/);
  });
});

describe('the routing document', () => {
  const CLAIMED = '+15125550177';
  const claimedKey = 'TrackingNumbersClaimA1B2.Address';
  const document = {
    entries: [A, { ...B, trackingNumber: deployTimePlaceholder(claimedKey) }],
    publishedNumbers: [{ number: '+15125550188', declaredBy: 'locations[0].publishedNumbers[0]' }],
    catalog: {
      declaredIn: 'config/portfolio.yaml',
      defaults: { staticFallbackNumber: '+15125550199' },
      queues: [],
      locations: [],
      trackingNumbers: [{ id: B.trackingId, number: deployTimePlaceholder(claimedKey) }],
    },
  };
  const documentProps = {
    TableName: TABLE,
    DocumentBucket: 'cdk-assets',
    DocumentKey: 'abc.json',
    DeployTimeValues: JSON.stringify({ [claimedKey]: CLAIMED }),
  };

  it('is named by bucket and key, or absent from an older stack', () => {
    expect(documentLocationOf(documentProps)).toEqual({ bucket: 'cdk-assets', key: 'abc.json' });
    expect(documentLocationOf(props([A]))).toBeUndefined();
    expect(() => documentLocationOf({ DocumentKey: 'abc.json' })).toThrowError(
      /DocumentBucket and DocumentKey must both name the S3 object/,
    );
  });

  it('becomes the inline properties, its placeholders filled with the deploy-time values', () => {
    const inline = withDocumentInline(documentProps, JSON.stringify(document));

    const plan = planRoutingTableSync(createChange(inline));
    expect(plan.put.map((e) => e.trackingNumber)).toEqual([A.trackingNumber, CLAIMED]);
    expect(JSON.parse(String(inline.PublishedNumbers))).toEqual(document.publishedNumbers);
    expect(plan.catalog?.trackingNumbers).toEqual([{ id: B.trackingId, number: CLAIMED }]);
  });

  it('keeps the deploy-time loop check: a claimed number that is a ring-to is refused', () => {
    // The number claimed for B turns out to be A's ring-to (+15125550199 by default).
    const looping = {
      ...documentProps,
      DeployTimeValues: JSON.stringify({ [claimedKey]: A.route.ringTo }),
    };

    const act = () =>
      planRoutingTableSync(createChange(withDocumentInline(looping, JSON.stringify(document))));

    expect(act).toThrowError(RoutingLoopError);
    expect(act).toThrowError(/ring-to is \+15125550199, which is also tracking number austin-bing/);
  });

  it('fails naming a placeholder the properties give no value, or a document that is not JSON', () => {
    const noValues = { ...documentProps, DeployTimeValues: '{}' };

    expect(() => withDocumentInline(noValues, JSON.stringify(document))).toThrowError(
      /deploy-time values the resource does not pass \(TrackingNumbersClaimA1B2\.Address\)/,
    );
    expect(() => withDocumentInline(documentProps, '{')).toThrowError(
      /the routing document is not valid JSON/,
    );
    expect(() =>
      withDocumentInline({ ...documentProps, DeployTimeValues: '[1]' }, '{}'),
    ).toThrowError(/DeployTimeValues must be a JSON object of strings/);
  });
});

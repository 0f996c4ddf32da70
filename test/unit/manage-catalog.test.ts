import {
  BatchWriteItemCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { locationBodySchema } from '../../lambdas/domain/catalog.js';
import {
  ConflictError,
  InvalidRequestError,
  NotDeployedError,
  NotFoundError,
  RoutingLoopError,
} from '../../lambdas/domain/request-errors.js';
import { createCatalogEditor } from '../../lambdas/use-cases/catalog-editor.js';
import { createManageLocations } from '../../lambdas/use-cases/manage-locations.js';
import { createManageTrackingNumbers } from '../../lambdas/use-cases/manage-tracking-numbers.js';
import { GEORGETOWN } from '../support/api-samples.js';
import { conditionFailed, withCatalogs } from '../support/catalog-mock.js';

const dynamo = mockClient(DynamoDBClient);
const sleeps: number[] = [];
const editor = () =>
  createCatalogEditor({
    client: new DynamoDBClient({}),
    routingTableName: 'calltrack-routing',
    clock: () => new Date('2026-03-02T12:00:00.000Z'),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
const locations = () => createManageLocations(editor());
const numbers = () => createManageTrackingNumbers(editor());

/** The error a use case refuses with. */
const refusal = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => error,
  );

/** GEORGETOWN as the API catalog stores it (defaults filled in). */
const STORED_GEORGETOWN = { id: 'georgetown', ...locationBodySchema.parse(GEORGETOWN) };
const MAILER = { id: 'round-rock-mailer', location: 'round-rock', source: 'Direct mail' };

beforeEach(() => {
  dynamo.reset();
  sleeps.length = 0;
  dynamo.on(BatchWriteItemCommand).resolves({});
  dynamo.on(PutItemCommand).resolves({});
});

describe('catalog editor', () => {
  it('refuses with NotDeployedError before the first deploy wrote the portfolio catalog', async () => {
    dynamo.on(GetItemCommand).resolves({});
    expect(await refusal(editor().readView())).toBeInstanceOf(NotDeployedError);
  });

  it('retries a lost race with a growing pause, then refuses with ConflictError conflict', async () => {
    withCatalogs(dynamo, 4);
    dynamo.on(PutItemCommand).rejects(conditionFailed());
    const error = await refusal(numbers().put('+15125550182', MAILER));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({
      reason: 'conflict',
      message:
        'the catalog kept changing under this request (other writes at the same time): send it again',
    });
    expect(sleeps).toEqual([50, 100]);
    expect(dynamo).toHaveReceivedCommandTimes(PutItemCommand, 3);
    expect(dynamo).not.toHaveReceivedCommand(BatchWriteItemCommand);
  });

  it('refuses a catalog over the item size limit with ConflictError catalog-full', async () => {
    withCatalogs(dynamo, 1);
    dynamo.on(PutItemCommand).rejects(new Error('Item size has exceeded the maximum allowed size'));
    const error = await refusal(numbers().put('+15125550182', MAILER));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ reason: 'catalog-full', message: /the API catalog is full/ });
  });

  it('refuses a loop alone with RoutingLoopError, writing nothing', async () => {
    withCatalogs(dynamo, 1);
    const error = await refusal(
      locations().put('georgetown', { ...GEORGETOWN, ringTo: '+15125550151' }),
    );
    expect(error).toBeInstanceOf(RoutingLoopError);
    expect((error as RoutingLoopError).loops.join('\n')).toContain('+15125550151');
    expect(dynamo).not.toHaveReceivedCommand(PutItemCommand);
  });

  it('refuses a change that breaks other rules with every problem, as an invalid body', async () => {
    withCatalogs(dynamo, 1);
    const error = await refusal(numbers().put('+15125550182', { ...MAILER, location: 'nowhere' }));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({
      part: 'body',
      message: 'the change breaks the portfolio rules: fix each problem listed and send it again',
    });
    expect((error as InvalidRequestError).problems.join('\n')).toContain('nowhere');
  });
});

describe('manage locations', () => {
  it('creates an API location, then replaces it', async () => {
    withCatalogs(dynamo, undefined);
    const created = await locations().put('georgetown', GEORGETOWN);
    expect(created).toMatchObject({ created: true, resource: { id: 'georgetown', owner: 'api' } });
    withCatalogs(dynamo, 1, { locations: [STORED_GEORGETOWN], trackingNumbers: [] });
    expect(await locations().put('georgetown', GEORGETOWN)).toMatchObject({ created: false });
  });

  it('refuses a bad body naming the location, before reading the catalog', async () => {
    const error = await refusal(locations().put('georgetown', { name: 'x' }));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({
      part: 'body',
      message: 'location georgetown is not valid: fix each problem listed and send it again',
    });
    expect(dynamo).not.toHaveReceivedCommand(GetItemCommand);
  });

  it('refuses edits of file locations, unknown ids and locations still in use', async () => {
    withCatalogs(dynamo, 1, {
      locations: [STORED_GEORGETOWN],
      trackingNumbers: [{ ...MAILER, number: '+15125550182', location: 'georgetown' }],
    });
    const declared = await refusal(locations().delete('round-rock'));
    expect(declared).toMatchObject({
      reason: 'declared-in-portfolio',
      message: expect.stringContaining('is declared in config/portfolio.yaml'),
    });
    expect(await refusal(locations().get('nowhere'))).toEqual(
      new NotFoundError('there is no location nowhere'),
    );
    const inUse = await refusal(locations().delete('georgetown'));
    expect(inUse).toBeInstanceOf(ConflictError);
    expect(inUse).toMatchObject({
      reason: 'in-use',
      problems: ['tracking number +15125550182 (round-rock-mailer) routes to georgetown'],
    });
  });
});

describe('manage tracking numbers', () => {
  it('lists the file numbers sorted, and refuses to replace one of them', async () => {
    withCatalogs(dynamo, 1);
    const listed = (await numbers().list()).map((t) => t.number);
    expect(listed).toEqual([...listed].sort());
    expect(listed).toContain('+15125550151');
    const declared = await refusal(numbers().put('+15125550151', MAILER));
    expect(declared).toMatchObject({ reason: 'declared-in-portfolio' });
  });

  it('deletes a leftover routing item of a number no longer in the catalog, else NotFoundError', async () => {
    withCatalogs(dynamo, 1);
    dynamo.on(DeleteItemCommand).resolvesOnce({}).rejects(conditionFailed());
    await numbers().delete('+15125550188');
    expect(dynamo).toHaveReceivedCommandTimes(DeleteItemCommand, 1);
    expect(await refusal(numbers().delete('+15125550188'))).toEqual(
      new NotFoundError('there is no tracking number +15125550188'),
    );
    expect(dynamo).not.toHaveReceivedCommand(PutItemCommand);
  });
});

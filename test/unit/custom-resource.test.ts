import { describe, expect, it, vi } from 'vitest';
import {
  AWAITING_COMPLETION,
  asyncCustomResource,
  customResourceOnEvent,
  resourceChangeOf,
} from '../../lambdas/adapters/cloudformation/custom-resource.js';
import { customResourceEvents } from '../support/fixtures.js';

const events = customResourceEvents('Example');

describe('resourceChangeOf', () => {
  it('reads a Create as its properties', () => {
    expect(resourceChangeOf(events.create({ Name: 'a' }))).toEqual({
      requestType: 'Create',
      properties: expect.objectContaining({ Name: 'a' }),
    });
  });

  it('reads an Update with the current physical id and both sets of properties', () => {
    expect(resourceChangeOf(events.update({ Name: 'b' }, { Name: 'a' }, 'id-1'))).toEqual({
      requestType: 'Update',
      physicalResourceId: 'id-1',
      properties: expect.objectContaining({ Name: 'b' }),
      oldProperties: expect.objectContaining({ Name: 'a' }),
    });
  });

  it('reads a Delete with the physical id CloudFormation holds', () => {
    expect(resourceChangeOf(events.remove({ Name: 'a' }, 'id-1'))).toEqual({
      requestType: 'Delete',
      physicalResourceId: 'id-1',
      properties: expect.objectContaining({ Name: 'a' }),
    });
  });
});

describe('customResourceOnEvent', () => {
  const apply = vi.fn(async () => ({ physicalResourceId: 'id-2', data: { Count: '3' } }));
  const onEvent = customResourceOnEvent(apply);

  it('applies the change the event asks for and answers with the id and attributes', async () => {
    const event = events.update({ Name: 'b' }, { Name: 'a' }, 'id-1');

    await expect(onEvent(event)).resolves.toEqual({
      PhysicalResourceId: 'id-2',
      Data: { Count: '3' },
    });
    expect(apply).toHaveBeenCalledWith(resourceChangeOf(event));
  });

  it('answers a Delete with the id alone', async () => {
    await expect(onEvent(events.remove({}, 'id-1'))).resolves.toEqual({
      PhysicalResourceId: 'id-2',
    });
  });

  it('lets a failure through, so CloudFormation shows its message', async () => {
    apply.mockRejectedValueOnce(new Error('fix the portfolio'));

    await expect(onEvent(events.create({}))).rejects.toThrowError('fix the portfolio');
  });
});

describe('asyncCustomResource', () => {
  const start = vi.fn(async () => ({ physicalResourceId: 'id-3', data: { Count: '2' } }));
  const resume = vi.fn(async () => false);
  const handler = asyncCustomResource({ start, resume });

  it('starts a request and marks its answer for the isComplete requests that follow', async () => {
    const event = { ...events.create({ Name: 'a' }), RequestId: 'req-9' };

    await expect(handler(event)).resolves.toEqual({
      PhysicalResourceId: 'id-3',
      Data: { Count: '2' },
      [AWAITING_COMPLETION]: true,
    });
    expect(start).toHaveBeenCalledWith(expect.objectContaining({ requestType: 'Create' }), 'req-9');
    expect(resume).not.toHaveBeenCalled();
  });

  it('resumes a marked request and answers IsComplete alone (Data is refused until complete)', async () => {
    start.mockClear();
    const event = {
      ...events.update({ Name: 'b' }, { Name: 'a' }, 'id-3'),
      [AWAITING_COMPLETION]: true,
    };

    await expect(handler(event, { getRemainingTimeInMillis: () => 42_000 })).resolves.toEqual({
      IsComplete: false,
    });
    expect(resume).toHaveBeenCalledWith(
      expect.objectContaining({ requestType: 'Update' }),
      'req-1',
      expect.any(Function),
    );
    expect(start).not.toHaveBeenCalled();
  });

  it("gives resume the Lambda context's remaining time, and no limit without a context", async () => {
    const times: number[] = [];
    const timed = asyncCustomResource({
      start,
      resume: async (_change, _requestId, remainingTimeMs) => {
        times.push(remainingTimeMs());
        return true;
      },
    });
    const event = { ...events.remove({ Name: 'a' }, 'id-3'), [AWAITING_COMPLETION]: true };

    await timed(event, { getRemainingTimeInMillis: () => 42_000 });
    await timed(event);

    expect(times).toEqual([42_000, Number.POSITIVE_INFINITY]);
  });
});

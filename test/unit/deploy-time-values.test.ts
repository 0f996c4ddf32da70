import { describe, expect, it } from 'vitest';
import {
  deployTimePlaceholder,
  fillDeployTimeValues,
  MissingDeployTimeValuesError,
} from '../../lambdas/domain/deploy-time-values.js';

describe('fillDeployTimeValues', () => {
  const queue = deployTimePlaceholder('QueueA.QueueArn');
  const values = { 'QueueA.QueueArn': 'arn:aws:connect:us-east-1:1:instance/i/queue/q' };

  it('replaces every whole-string placeholder, however deep', () => {
    const document = {
      routes: [{ fallback: { queueArn: queue } }, { n: 3, ok: true, none: null }],
    };

    expect(fillDeployTimeValues(document, values)).toEqual({
      routes: [
        { fallback: { queueArn: values['QueueA.QueueArn'] } },
        { n: 3, ok: true, none: null },
      ],
    });
  });

  it('leaves a placeholder inside a longer text alone: a name or disclosure is never rewritten', () => {
    const text = `Call us about ${queue} today`;

    expect(fillDeployTimeValues({ name: text }, values)).toEqual({ name: text });
  });

  it('fails naming every placeholder that has no value', () => {
    const act = () => fillDeployTimeValues([queue, deployTimePlaceholder('Claim.Address')], {});

    expect(act).toThrowError(MissingDeployTimeValuesError);
    expect(act).toThrowError(/\(QueueA\.QueueArn, Claim\.Address\)/);
  });
});

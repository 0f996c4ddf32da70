import { describe, expect, it } from 'vitest';
import { ACTION_SPECS, ACTION_TYPES } from '../../lambdas/flow/language/index.js';
import { ACTION_HANDLERS } from '../../lambdas/flow/simulator/actions/index.js';

/** The dispatch table the simulator's run loop uses instead of a switch over action types. */

describe('ACTION_HANDLERS', () => {
  it('has one handler for every action type the validator accepts, and no other', () => {
    expect(Object.keys(ACTION_HANDLERS).sort()).toEqual([...ACTION_TYPES].sort());
    expect(Object.keys(ACTION_HANDLERS).sort()).toEqual(Object.keys(ACTION_SPECS).sort());
  });

  it('holds a function for each', () => {
    for (const type of ACTION_TYPES) expect(typeof ACTION_HANDLERS[type]).toBe('function');
  });
});

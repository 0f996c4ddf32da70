import type { SimulatedCall } from '../../lambdas/flow/simulator/index.js';
import { INSTANCE_ARN } from './fixtures.js';

/** Building blocks of the small hand-written flows the simulator's tests run, one behaviour each. */

export interface Action {
  Identifier: string;
  Type: string;
  Parameters: Record<string, unknown>;
  Transitions: Record<string, unknown>;
}

/** The hang-up every hand-written flow ends with. */
export const BYE: Action = {
  Identifier: 'bye',
  Type: 'DisconnectParticipant',
  Parameters: {},
  Transitions: {},
};

/** A flow starting at the first action, with BYE appended. */
export const flowOf = (...actions: Action[]) => ({
  Version: '2019-10-30',
  StartAction: actions[0]?.Identifier ?? 'bye',
  Actions: [...actions, BYE],
});

/** The call the tests place: a fixed contact id, a Wednesday at 10:00 in Chicago. */
export const handWrittenCall = (contactId: string): SimulatedCall => ({
  dialed: '+15125550151',
  caller: '+13035550187',
  at: new Date('2026-11-25T16:00:00Z'),
  contactId,
  instanceArn: INSTANCE_ARN,
});

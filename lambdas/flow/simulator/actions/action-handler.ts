import type { FlowAction } from '../../language/index.js';
import type { StepResult } from '../branches.js';
import type { SimulatedContact } from '../simulated-contact.js';

/**
 * Executes one action of a running call: reads and changes the contact, advances its clock, and
 * says which branch the action takes. `parameters` are the action's, references resolved.
 */
export type ActionHandler = (
  contact: SimulatedContact,
  action: FlowAction,
  parameters: Record<string, unknown>,
) => StepResult | Promise<StepResult>;

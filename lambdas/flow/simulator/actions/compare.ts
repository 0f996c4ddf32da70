import { conditionOrNoMatch } from '../branches.js';
import { matches } from '../conditions.js';
import type { ActionHandler } from './action-handler.js';

/** Compare: the first condition the ComparisonValue matches; an unset value matches none. */
export const compare: ActionHandler = (contact, action, parameters) => {
  const value = parameters.ComparisonValue;
  const compared = typeof value === 'string' ? value : undefined;
  const conditions = action.Transitions.Conditions ?? [];
  if (conditions.some(({ Condition }) => Condition.Operator === 'KeyExists')) {
    throw contact.fail(
      'Compare with KeyExists: the operator is undocumented and the simulator does not guess its semantics',
    );
  }
  const index =
    compared === undefined
      ? -1
      : conditions.findIndex(({ Condition }) =>
          matches(Condition.Operator, compared, Condition.Operands[0]),
        );
  const shown =
    compared === undefined
      ? `${String(action.Parameters.ComparisonValue)} is not set`
      : `"${compared}"`;
  return conditionOrNoMatch(index, shown, `${shown} matches no condition`);
};

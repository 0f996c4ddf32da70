import type { ConditionOperator } from '../language/index.js';

/** Whether a Compare condition holds; numbers compare only when both sides are numbers. */
export const matches = (operator: ConditionOperator, value: string, operand: string): boolean => {
  const number = Number(value);
  const limit = Number(operand);
  const numeric = value.trim() !== '' && Number.isFinite(number) && Number.isFinite(limit);
  switch (operator) {
    case 'Equals':
      return value === operand;
    case 'TextStartsWith':
      return value.startsWith(operand);
    case 'TextEndsWith':
      return value.endsWith(operand);
    case 'TextContains':
      return value.includes(operand);
    case 'NumberGreaterThan':
      return numeric && number > limit;
    case 'NumberGreaterOrEqualTo':
      return numeric && number >= limit;
    case 'NumberLessThan':
      return numeric && number < limit;
    case 'NumberLessOrEqualTo':
      return numeric && number <= limit;
    case 'KeyExists':
      return false;
  }
};

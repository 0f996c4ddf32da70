import { isRecord } from '../../domain/is-record.js';
import { type FlowAction, isJsonPath } from '../language/index.js';
import { type ContactView, interpolate, lookup } from './json-path.js';
import type { FlowSimulationError } from './types.js';

/**
 * The parameters with every JSONPath value replaced by what it references, and references inside
 * prompt text read in place. Compare's ComparisonValue may reference nothing (null): Connect
 * compares an unset attribute as matching no condition. Strict otherwise: a reference that gives
 * no value stops the simulation with `fail`, which names the action.
 */
export const resolveParameters = (
  action: FlowAction,
  contact: ContactView,
  fail: (message: string) => FlowSimulationError,
): Record<string, unknown> => {
  const resolve = (path: string): string => {
    const found = lookup(path, contact);
    if (found.kind === 'value') return found.value;
    throw fail(`cannot resolve ${path}: ${found.why}`);
  };
  const walk = (value: unknown, key: string | undefined): unknown => {
    if (typeof value === 'string') {
      if (key === 'Text' || key === 'SSML') return interpolate(value, resolve);
      if (!isJsonPath(value)) return value;
      if (action.Type === 'Compare' && key === 'ComparisonValue') {
        const found = lookup(value, contact);
        if (found.kind === 'unsupported') throw fail(`cannot resolve ${found.why}`);
        return found.kind === 'value' ? found.value : null;
      }
      return resolve(value);
    }
    if (Array.isArray(value)) return value.map((item) => walk(item, undefined));
    if (isRecord(value)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    }
    return value;
  };
  return walk(action.Parameters, undefined) as Record<string, unknown>;
};

import { isRecord } from './is-record.js';
import { parseJsonProperty } from './resource-change.js';

/**
 * Values known only at deploy (numbers the stack claims, queues it creates) inside a document
 * written at synth: the document holds a placeholder where each value goes, and the resource's
 * properties carry the small map from placeholder key to value, which CloudFormation resolves.
 * Only a whole string equal to a placeholder is replaced, never part of a longer text, so a
 * location's name or disclosure is never rewritten.
 */

/** The placeholder of a deploy-time value in a synthesized document. */
export const deployTimePlaceholder = (key: string): string => `\${deploy-time:${key}}`;

const PLACEHOLDER = /^\$\{deploy-time:(.+)\}$/;

/** The document names a placeholder whose value the resource does not pass. */
export class MissingDeployTimeValuesError extends Error {
  constructor(readonly keys: readonly string[]) {
    super(
      `the document names deploy-time values the resource does not pass (${keys.join(', ')}): synthesize and deploy the stack again`,
    );
    this.name = 'MissingDeployTimeValuesError';
  }
}

/**
 * The document with every placeholder replaced; throws {@link MissingDeployTimeValuesError}
 * naming each placeholder with no value.
 */
export const fillDeployTimeValues = (
  document: unknown,
  values: Readonly<Record<string, string>>,
): unknown => {
  const missing = new Set<string>();
  const fill = (node: unknown): unknown => {
    if (typeof node === 'string') {
      const key = PLACEHOLDER.exec(node)?.[1];
      if (key === undefined) return node;
      const value = values[key];
      if (value === undefined) missing.add(key);
      return value ?? node;
    }
    if (Array.isArray(node)) return node.map(fill);
    if (isRecord(node)) {
      return Object.fromEntries(Object.entries(node).map(([name, value]) => [name, fill(value)]));
    }
    return node;
  };
  const filled = fill(document);
  if (missing.size > 0) {
    throw new MissingDeployTimeValuesError([...missing]);
  }
  return filled;
};

/** A map of deploy-time values as the resource passes it (JSON), or the problem. */
export const parseDeployTimeValues = (
  value: unknown,
  property: string,
): Record<string, string> | string => {
  if (value === undefined) return {};
  const json = parseJsonProperty(value, property);
  if (typeof json === 'string') return json;
  if (!isRecord(json.value) || Object.values(json.value).some((v) => typeof v !== 'string')) {
    return `${property} must be a JSON object of strings (placeholder key to value)`;
  }
  return json.value as Record<string, string>;
};

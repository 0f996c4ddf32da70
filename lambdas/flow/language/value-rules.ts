import { isQueueArn } from '../../domain/connect-arn.js';
import { isRecord } from '../../domain/is-record.js';
import { isE164 } from '../../domain/phone-number.js';
import { findPlaceholders } from './placeholders.js';

/**
 * Rules for parameter values. A rule returns one message per problem, each naming the path and
 * saying what to write instead. Non-string scalars and empty strings are not a rule's business:
 * `scalarProblems` reports those once, wherever they are, so rules skip them to avoid echoes.
 */
export type ValueRule = (value: unknown, path: string) => string[];

/** What a string must look like, and how to describe that to the author. */
export interface TextFormat {
  /** Completes "write …", e.g. `"True" or "False"`. */
  readonly expected: string;
  readonly accepts: (text: string) => boolean;
}

export interface ParameterSpec {
  readonly required: boolean;
  readonly rule: ValueRule;
}

/** Shows a value in a message the way it appears in the JSON. */
export const show = (value: unknown): string => {
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'a list';
  if (isRecord(value)) return 'an object';
  return JSON.stringify(value) ?? String(value);
};

const quoteAll = (values: readonly string[]): string => values.map((v) => `"${v}"`).join(' or ');

/** Reported by `scalarProblems`, so every other rule stays quiet about it. */
const isScalarProblem = (value: unknown): boolean =>
  value === null || value === '' || typeof value === 'number' || typeof value === 'boolean';

/**
 * Every scalar on the wire is a string ("3", "True"), and Connect rejects an empty string in any
 * parameter or condition operand. Walks nested objects and lists.
 */
export const scalarProblems = (value: unknown, path: string): string[] => {
  if (Array.isArray(value))
    return value.flatMap((item, i) => scalarProblems(item, `${path}[${i}]`));
  if (isRecord(value)) {
    return Object.entries(value).flatMap(([key, item]) => scalarProblems(item, `${path}.${key}`));
  }
  if (value === '') {
    return [
      `${path} is an empty string, which Connect rejects; write a value, or have the Lambda return a sentinel such as "none"`,
    ];
  }
  if (value === null) return [`${path} is null; write a string or remove it`];
  if (typeof value === 'number') {
    return [`${path} is ${value} (a number); write "${value}": every scalar in a flow is a string`];
  }
  if (typeof value === 'boolean') {
    return [
      `${path} is ${value} (a boolean); write a string such as "${value ? 'True' : 'False'}": every scalar in a flow is a string`,
    ];
  }
  return [];
};

// ---- text formats -------------------------------------------------------------------------------

export const ANY_TEXT: TextFormat = { expected: 'a string', accepts: () => true };

export const choice = (...values: readonly string[]): TextFormat => ({
  expected: quoteAll(values),
  accepts: (text) => values.includes(text),
});

/** A static whole number; Connect wants it as a string. */
export const wholeNumber = (min: number, max: number): TextFormat => ({
  expected: `a whole number from "${min}" to "${max}"`,
  accepts: (text) => /^\d+$/.test(text) && Number(text) >= min && Number(text) <= max,
});

export const NUMBER: TextFormat = {
  expected: 'a number such as "10"',
  accepts: (text) => /^-?\d+(\.\d+)?$/.test(text),
};

/** Bare namespaces hold no value: Connect rejects `$.External` and wants `$.External.<key>`. */
const NAMESPACE_ROOTS = new Set([
  'Attributes',
  'External',
  'SystemEndpoint',
  'CustomerEndpoint',
  'Queue',
  'Lex',
  'Media',
]);

export const isJsonPath = (text: string): boolean => {
  const match = /^\$((?:\.[A-Za-z0-9_-]+)+)$/.exec(text);
  const segments = match?.[1]?.split('.').slice(1) ?? [];
  return segments.length > 1 || (segments.length === 1 && !NAMESPACE_ROOTS.has(segments[0] ?? ''));
};

export const JSON_PATH: TextFormat = {
  expected: 'a single JSONPath to a value, such as "$.Attributes.name"',
  accepts: isJsonPath,
};

export const E164_NUMBER: TextFormat = {
  expected: 'an E.164 number such as "+15125550100"',
  accepts: isE164,
};

export const LAMBDA_ARN: TextFormat = {
  expected: 'a Lambda function ARN such as "arn:aws:lambda:us-east-1:123456789012:function:name"',
  accepts: (text) =>
    /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/.test(
      text,
    ),
};

export const QUEUE_ARN: TextFormat = {
  expected: 'a queue ARN such as "arn:aws:connect:us-east-1:123456789012:instance/<id>/queue/<id>"',
  accepts: isQueueArn,
};

/** A single DTMF key, the only operand a menu branch can match. */
export const DTMF_KEY: TextFormat = {
  expected: 'a single key: "0"-"9", "*" or "#"',
  accepts: (text) => /^[0-9*#]$/.test(text),
};

export const DTMF_DIGITS: TextFormat = {
  expected: 'at most 50 of "0"-"9", "*", "#" and "," (a pause)',
  accepts: (text) => /^[0-9*#,]{1,50}$/.test(text),
};

export const either = (first: TextFormat, second: TextFormat): TextFormat => ({
  expected: `${first.expected}, or ${second.expected}`,
  accepts: (text) => first.accepts(text) || second.accepts(text),
});

/**
 * One unresolved CDK string token and nothing else, as the CDK renders it: `${Token[TOKEN.123]}`
 * (the key takes the characters of the CDK's `VALID_KEY_CHARS`). Anchored: text around a token
 * would reach Connect as part of the value, so it must pass the format like any other string.
 */
const DEPLOY_TIME_TOKEN = /^\$\{Token\[[a-zA-Z0-9:._-]+\]\}$/;

/**
 * At synth the CDK substitutes unresolved tokens (`${Token[TOKEN.123]}`) for ARNs; their value is
 * only known at deploy, so a value that is exactly one token cannot be checked here and is let
 * through.
 */
export const orDeployTimeToken = (format: TextFormat): TextFormat => ({
  expected: format.expected,
  accepts: (text) => DEPLOY_TIME_TOKEN.test(text) || format.accepts(text),
});

// ---- value rules --------------------------------------------------------------------------------

export const text =
  (format: TextFormat): ValueRule =>
  (value, path) => {
    if (isScalarProblem(value)) return [];
    if (typeof value === 'string' && format.accepts(value)) return [];
    const [placeholder] = typeof value === 'string' ? findPlaceholders(value) : [];
    return placeholder === undefined
      ? [`${path} is ${show(value)}; write ${format.expected}`]
      : [
          `${path} still holds the placeholder \${${placeholder}}; substitute it (substitutePlaceholders) before validating`,
        ];
  };

export const required = (rule: ValueRule): ParameterSpec => ({ required: true, rule });
export const optional = (rule: ValueRule): ParameterSpec => ({ required: false, rule });

/** An object with exactly the given keys: required ones present, unknown ones refused. */
export const shape =
  (fields: Readonly<Record<string, ParameterSpec>>): ValueRule =>
  (value, path) => {
    if (!isRecord(value))
      return isScalarProblem(value) ? [] : [`${path} is ${show(value)}; write an object`];
    const allowed = Object.keys(fields);
    const unknown = Object.keys(value)
      .filter((key) => !(key in fields))
      .map(
        (key) =>
          `${path}.${key} is not allowed here; remove it (allowed: ${allowed.join(', ') || 'none, write {}'})`,
      );
    const checked = Object.entries(fields).flatMap(([key, spec]) => {
      if (value[key] !== undefined) return spec.rule(value[key], `${path}.${key}`);
      return spec.required ? [`${path}.${key} is missing; add it`] : [];
    });
    return [...unknown, ...checked];
  };

/** A flat map of string values, e.g. contact attributes or Lambda parameters. */
export const stringMap =
  ({ atLeastOne }: { atLeastOne: boolean }): ValueRule =>
  (value, path) => {
    if (!isRecord(value))
      return isScalarProblem(value)
        ? []
        : [`${path} is ${show(value)}; write an object of strings`];
    if (atLeastOne && Object.keys(value).length === 0)
      return [`${path} is empty; write at least one entry`];
    return Object.entries(value).flatMap(([key, item]) => {
      const where = `${path}.${key}`;
      if (key.trim() === '') return [`${path} has an empty key; give every entry a name`];
      return typeof item === 'object' && item !== null
        ? [`${where} is ${show(item)}; write a string`]
        : [];
    });
  };

/** A list of distinct strings in the given format; an empty list is allowed. */
export const listOf =
  (format: TextFormat): ValueRule =>
  (value, path) => {
    if (!Array.isArray(value))
      return isScalarProblem(value) ? [] : [`${path} is ${show(value)}; write a list`];
    const duplicates = value.filter((item, i) => value.indexOf(item) !== i);
    return [
      ...value.flatMap((item, i) => text(format)(item, `${path}[${i}]`)),
      ...duplicates.map((item) => `${path} lists ${show(item)} twice; list it once`),
    ];
  };

/** An object whose contents this project does not model; scalars inside are still checked. */
export const anyObject: ValueRule = (value, path) =>
  isRecord(value) || isScalarProblem(value) ? [] : [`${path} is ${show(value)}; write an object`];

/** A flow (contact-flow) ARN, or a bare flow id: where an event hook points. */
export const FLOW_ID_OR_ARN: TextFormat = {
  expected:
    'a flow ARN such as "arn:aws:connect:us-east-1:123456789012:instance/<id>/contact-flow/<id>", or a flow id',
  accepts: (text) =>
    /^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance\/[A-Za-z0-9-]+\/contact-flow\/[A-Za-z0-9-]+$/.test(
      text,
    ) || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(text),
};

/** A non-empty list of objects, each checked by `rule` (e.g. the messages of a prompt loop). */
export const listOfObjects =
  (rule: ValueRule): ValueRule =>
  (value, path) => {
    if (!Array.isArray(value))
      return isScalarProblem(value) ? [] : [`${path} is ${show(value)}; write a list`];
    if (value.length === 0) return [`${path} is empty; write at least one entry`];
    return value.flatMap((item, i) => rule(item, `${path}[${i}]`));
  };

/**
 * An object of exactly one entry whose key is static and one of `keys`, its value in `format`
 * (UpdateContactEventHooks: "Only one entry may be present in this map. Keys must be defined
 * statically").
 */
export const singleEntry =
  (keys: readonly string[], format: TextFormat): ValueRule =>
  (value, path) => {
    if (!isRecord(value))
      return isScalarProblem(value) ? [] : [`${path} is ${show(value)}; write an object`];
    const entries = Object.entries(value);
    if (entries.length !== 1) {
      return [`${path} has ${entries.length} entries; write exactly one (one action per hook)`];
    }
    const [[key, item]] = entries as [[string, unknown]];
    return [
      ...(keys.includes(key)
        ? []
        : [`${path}.${key} is not an event hook; write one of ${keys.join(', ')}`]),
      ...text(format)(item, `${path}.${key}`),
    ];
  };

/** The object rule `shape` applies, plus rules across its fields (e.g. exactly one prompt). */
export const shapeWith =
  (
    fields: Readonly<Record<string, ParameterSpec>>,
    rule: (value: Readonly<Record<string, unknown>>, path: string) => string[],
  ): ValueRule =>
  (value, path) => [...shape(fields)(value, path), ...(isRecord(value) ? rule(value, path) : [])];

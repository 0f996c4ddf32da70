/**
 * Named placeholders in a flow file: `${RouteCallFunctionArn}`. The name is letters and digits
 * only, so JSONPaths (`$.Attributes.x`) and CDK tokens (`${Token[TOKEN.12]}`) never match.
 */
const PLACEHOLDER = /\$\{([A-Za-z][A-Za-z0-9]*)\}/g;

/** The distinct placeholder names in a text, in order of first appearance. */
export const findPlaceholders = (text: string): string[] => [
  ...new Set(Array.from(text.matchAll(PLACEHOLDER), (match) => match[1] ?? '')),
];

/** A value as the content of a JSON string: quotes, backslashes and control characters escaped. */
const asJsonStringContent = (value: string): string => JSON.stringify(value).slice(1, -1);

/**
 * Replaces every placeholder with its value, written as JSON string content (placeholders sit
 * inside JSON strings). A single pass: an inserted value is never scanned again, so a CDK token
 * such as `${Token[TOKEN.12]}` passes through untouched. Fails on a placeholder without a value,
 * and on a value no placeholder uses (a misspelt name would otherwise go unnoticed).
 */
export const substitutePlaceholders = (
  text: string,
  values: Readonly<Record<string, string>>,
): string => {
  const names = findPlaceholders(text);
  const missing = names.filter((name) => !Object.hasOwn(values, name));
  const unused = Object.keys(values).filter((name) => !names.includes(name));
  const problems = [
    ...(missing.length > 0
      ? [`no value for placeholder ${missing.map((n) => `\${${n}}`).join(', ')}`]
      : []),
    ...(unused.length > 0 ? [`no placeholder uses the value of ${unused.join(', ')}`] : []),
  ];
  if (problems.length > 0) {
    throw new Error(`cannot substitute the flow's placeholders: ${problems.join('; ')}`);
  }
  return text.replace(PLACEHOLDER, (_match, name: string) =>
    asJsonStringContent(values[name] ?? ''),
  );
};

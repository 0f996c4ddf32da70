import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

/** The repository's OpenAPI document, parsed. */
export const loadOpenApi = (): any =>
  parse(readFileSync(fileURLToPath(new URL('../../openapi.yaml', import.meta.url)), 'utf8'));

const DOC_ID = 'https://calltracking.invalid/openapi.json';

const pointerOf = (path: readonly string[]): string =>
  `#/${path.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;

/** The value at a local `$ref` (`#/a/b`) and its path. */
const resolve = (doc: any, ref: string): { value: any; path: string[] } => {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported, not ${ref}`);
  const path = ref
    .slice(2)
    .split('/')
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
  let value = doc;
  for (const part of path) {
    value = value?.[part];
    if (value === undefined) throw new Error(`$ref ${ref} does not resolve`);
  }
  return { value, path };
};

export interface Operation {
  readonly path: string;
  readonly method: string;
  readonly operation: any;
}

/** Every operation of the document: path, lower-case method, the operation object. */
export const operationsOf = (doc: any): Operation[] =>
  Object.entries(doc.paths ?? {}).flatMap(([path, item]: [string, any]) =>
    ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']
      .filter((method) => item[method])
      .map((method) => ({ path, method, operation: item[method] })),
  );

export interface ResponseValidator {
  /**
   * Validates a response body against the document's schema for operationId and status (or the
   * operation's `default`); returns the problems, none when valid. Throws when the document has
   * no JSON schema for that response: an undocumented status is a failure too.
   */
  validate(operationId: string, status: number, body: unknown): string[];
  /** Validates a value against a component schema (`#/components/schemas/<name>`). */
  validateSchema(name: string, value: unknown): string[];
}

/** Response validation with ajv (JSON Schema 2020-12, the dialect of OpenAPI 3.1) and formats. */
export const createResponseValidator = (doc: any = loadOpenApi()): ResponseValidator => {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
  addFormats.default(ajv);
  // OpenAPI keywords next to schemas are not JSON Schema: ajv only compiles the referenced schemas.
  ajv.addVocabulary([
    'openapi',
    'info',
    'servers',
    'security',
    'tags',
    'paths',
    'webhooks',
    'components',
  ]);
  ajv.addSchema({ ...doc, $id: DOC_ID });
  const compiled = new Map<string, ReturnType<typeof ajv.compile>>();
  const operations = new Map(operationsOf(doc).map((o) => [o.operation.operationId, o]));
  const problemsAt = (pointer: string, value: unknown): string[] => {
    let validate = compiled.get(pointer);
    if (!validate) {
      validate = ajv.compile({ $ref: `${DOC_ID}${pointer}` });
      compiled.set(pointer, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map(
      (e) => `${e.instancePath || '(body)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
    );
  };
  return {
    validateSchema: (name, value) => problemsAt(pointerOf(['components', 'schemas', name]), value),
    validate(operationId, status, body) {
      const op = operations.get(operationId);
      if (!op) throw new Error(`operation ${operationId} is not in the document`);
      const base = ['paths', op.path, op.method, 'responses'];
      const key = op.operation.responses?.[String(status)] ? String(status) : 'default';
      let response = op.operation.responses?.[key];
      let path = [...base, key];
      if (!response) throw new Error(`${operationId} documents no response ${status}`);
      if (response.$ref) ({ value: response, path } = resolve(doc, response.$ref));
      if (!response.content) {
        // A response documented without content (204): the body must be empty.
        return body === undefined ? [] : [`${operationId} ${status} documents no body`];
      }
      if (!response.content['application/json']?.schema) {
        throw new Error(`${operationId} ${status} has no application/json schema`);
      }
      return problemsAt(pointerOf([...path, 'content', 'application/json', 'schema']), body);
    },
  };
};

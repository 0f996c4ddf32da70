import { isRecord } from '../../domain/is-record.js';
import { isJsonPath } from '../language/index.js';

/**
 * The contact data a flow can reference with a JSONPath (reference §2.2), as the simulator holds it
 * at one moment of the call.
 */
export interface ContactView {
  readonly contactId: string;
  readonly initialContactId: string;
  readonly instanceArn: string;
  /** `$.SystemEndpoint.Address`: the dialed number. */
  readonly dialed: string;
  /** `$.CustomerEndpoint.Address`: the caller. */
  readonly caller: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** The last Lambda result; undefined before any Lambda, and after one that failed. */
  readonly external: Readonly<Record<string, unknown>> | undefined;
  /** The target queue, once UpdateContactTargetQueue has set one. */
  readonly queue: { readonly arn: string; readonly name: string } | undefined;
  /** The customer's audio stream, once UpdateContactMediaStreamingBehavior started one. */
  readonly mediaStream: MediaStreamView | undefined;
}

/** `$.MediaStreams.Customer.Audio.*`: where the customer's audio stream starts. */
export interface MediaStreamView {
  readonly streamArn: string;
  readonly startFragment: string;
  /** Epoch milliseconds, as a string. */
  readonly startTimestamp: string;
}

const MEDIA_STREAM_FIELDS: Readonly<Record<string, keyof MediaStreamView>> = {
  StreamARN: 'streamArn',
  StartFragmentNumber: 'startFragment',
  StartTimestamp: 'startTimestamp',
};

/**
 * What a reference gives: a value; `absent` when the path is one the simulator knows but holds
 * nothing now (an attribute never written, a key the last Lambda did not return); `unsupported`
 * when the simulator does not model the path at all (e.g. `$.Lex.IntentName`).
 */
export type Lookup =
  | { readonly kind: 'value'; readonly value: string }
  | { readonly kind: 'absent'; readonly why: string }
  | { readonly kind: 'unsupported'; readonly why: string };

const value = (text: string): Lookup => ({ kind: 'value', value: text });
const absent = (why: string): Lookup => ({ kind: 'absent', why });
const unsupported = (path: string): Lookup => ({
  kind: 'unsupported',
  why: `${path} is not a reference the simulator models (it knows $.ContactId, $.InitialContactId, $.Channel, $.InstanceARN, $.SystemEndpoint.Address|Type, $.CustomerEndpoint.Address|Type, $.Attributes.<key>, $.External.<key>, $.Queue.ARN|Name, $.MediaStreams.Customer.Audio.StreamARN|StartFragmentNumber|StartTimestamp)`,
});

const TELEPHONE_NUMBER = 'TELEPHONE_NUMBER';

const endpoint = (path: string, field: string | undefined, address: string): Lookup => {
  if (field === 'Address') return value(address);
  if (field === 'Type') return value(TELEPHONE_NUMBER);
  return unsupported(path);
};

/** A Lambda result under `$.External`: a flat key (STRING_MAP), or a nested one (JSON). */
const external = (path: string, keys: readonly string[], result: ContactView['external']) => {
  if (result === undefined) {
    return absent(`${path} has no value: no Lambda has returned a result (or the last one failed)`);
  }
  let node: unknown = result;
  for (const key of keys) {
    if (!isRecord(node) || !Object.hasOwn(node, key)) {
      return absent(`${path} has no value: the last Lambda result has no key "${keys.join('.')}"`);
    }
    node = node[key];
  }
  if (typeof node === 'string') return value(node);
  if (typeof node === 'number' || typeof node === 'boolean') return value(String(node));
  return absent(`${path} is not a value in the last Lambda result (it is ${JSON.stringify(node)})`);
};

/** Resolves one JSONPath against the contact. */
export const lookup = (path: string, contact: ContactView): Lookup => {
  if (!isJsonPath(path)) return unsupported(path);
  const [root, ...rest] = path.slice(2).split('.');
  const [first, ...deeper] = rest;
  const single = (text: string): Lookup => (rest.length === 0 ? value(text) : unsupported(path));
  switch (root) {
    case 'ContactId':
      return single(contact.contactId);
    case 'InitialContactId':
      return single(contact.initialContactId);
    case 'Channel':
      return single('VOICE');
    case 'InstanceARN':
      return single(contact.instanceArn);
    case 'SystemEndpoint':
      return rest.length === 1 ? endpoint(path, first, contact.dialed) : unsupported(path);
    case 'CustomerEndpoint':
      return rest.length === 1 ? endpoint(path, first, contact.caller) : unsupported(path);
    case 'Attributes': {
      if (first === undefined || deeper.length > 0) return unsupported(path);
      const attribute = contact.attributes[first];
      return attribute === undefined
        ? absent(`${path} has no value: the contact attribute "${first}" was never set`)
        : value(attribute);
    }
    case 'External':
      return external(path, rest, contact.external);
    case 'Queue': {
      if (rest.length !== 1 || (first !== 'ARN' && first !== 'Name')) return unsupported(path);
      if (contact.queue === undefined) return absent(`${path} has no value: no queue is set`);
      return value(first === 'ARN' ? contact.queue.arn : contact.queue.name);
    }
    case 'MediaStreams': {
      const key = rest[2] ?? '';
      const field = Object.hasOwn(MEDIA_STREAM_FIELDS, key) ? MEDIA_STREAM_FIELDS[key] : undefined;
      if (first !== 'Customer' || rest[1] !== 'Audio' || field === undefined || rest.length !== 3)
        return unsupported(path);
      if (contact.mediaStream === undefined) {
        return absent(`${path} has no value: the customer's audio is not streamed`);
      }
      return value(contact.mediaStream[field]);
    }
    default:
      return unsupported(path);
  }
};

/**
 * A reference inside prompt text: text-to-speech reads attributes in place
 * ("Thanks for calling $.Attributes.locationName").
 */
const EMBEDDED_REFERENCE =
  /\$\.(?:(?:Attributes|External|SystemEndpoint|CustomerEndpoint|Queue)(?:\.[A-Za-z0-9_-]+)+|ContactId\b|InitialContactId\b|Channel\b|InstanceARN\b)/g;

/** The references a prompt text holds, each once, in order. */
export const referencesIn = (text: string): string[] => [
  ...new Set(Array.from(text.matchAll(EMBEDDED_REFERENCE), (match) => match[0])),
];

/** Replaces every reference in `text` with what `resolve` gives for it. */
export const interpolate = (text: string, resolve: (path: string) => string): string =>
  text.replace(EMBEDDED_REFERENCE, (path) => resolve(path));

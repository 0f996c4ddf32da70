import { exceedsAttributeLimit } from '../attribute-limit.js';
import { error, NEXT } from '../branches.js';
import { seconds } from '../simulated-time.js';
import type { ActionHandler } from './action-handler.js';

/** UpdateContactAttributes: writes the attributes on the current contact, in the history too. */
export const updateContactAttributes: ActionHandler = (contact, action, parameters) => {
  if (contact.faulted(action)) return error('NoMatchingError', 'injected fault: the update failed');
  if (parameters.TargetContact !== 'Current') {
    return error(
      'NoMatchingError',
      `TargetContact ${String(parameters.TargetContact)}: an inbound call has no related contact`,
    );
  }
  const written = parameters.Attributes as Record<string, string>;
  const empty = Object.keys(written).filter((key) => written[key] === '');
  if (empty.length > 0) {
    return error('NoMatchingError', `empty value for ${empty.join(', ')}`);
  }
  const attributes = { ...contact.attributes, ...written };
  if (exceedsAttributeLimit(attributes)) {
    return error('NoMatchingError', 'the contact attributes would exceed 32 KB');
  }
  contact.attributes = attributes;
  contact.attributeHistory.push({
    atSeconds: seconds(contact.clockMs),
    by: action.Identifier,
    attributes: { ...written },
  });
  return NEXT;
};

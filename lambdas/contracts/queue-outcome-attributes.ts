/**
 * The callback and voicemail contact attributes, shared by the flows (which set them) and the
 * ingest (which reads them): defined in the domain, where the call log's classification needs them.
 */
export {
  CALLBACK_INITIATION_METHOD,
  CALLBACK_REQUESTED,
  QUEUE_OUTCOME_ATTRIBUTES,
  VOICEMAIL_EMPTY,
  VOICEMAIL_LEFT,
  VOICEMAIL_RECORDING,
} from '../domain/queue-outcome-attributes.js';

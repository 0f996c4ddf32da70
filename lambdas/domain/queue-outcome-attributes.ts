/**
 * The contact attributes the customer queue flow and the voicemail work set when a caller asks for
 * a callback or leaves a message (issue 13's shared contract; lambdas/contracts/ re-exports them
 * for the flows). They land in the contact record's `Attributes`, where the ingest reads them.
 */
export const QUEUE_OUTCOME_ATTRIBUTES = {
  /** `requested`: the caller asked for a queued callback. */
  callback: 'callback',
  /** `left`: a message was recorded. */
  voicemail: 'voicemail',
  /** The message's S3 key in the recordings bucket. */
  voicemailKey: 'voicemailKey',
  /** The message's length, whole seconds. */
  voicemailDurationSeconds: 'voicemailDurationSeconds',
} as const;

/** The value of `callback` once the caller asked for one. */
export const CALLBACK_REQUESTED = 'requested';
/** The value of `voicemail` once a message was recorded. */
export const VOICEMAIL_LEFT = 'left';
/** InitiationMethod of the contact Connect creates for a queued callback (its own record). */
export const CALLBACK_INITIATION_METHOD = 'CALLBACK';

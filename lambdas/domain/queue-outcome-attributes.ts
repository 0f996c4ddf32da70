/**
 * The contact attributes the customer queue flow and the voicemail work set when a caller asks for
 * a callback or leaves a message (issue 13's shared contract; lambdas/contracts/ re-exports them
 * for the flows). They land in the contact record's `Attributes`, where the ingest reads them.
 */
export const QUEUE_OUTCOME_ATTRIBUTES = {
  /** `requested`: the caller asked for a queued callback. */
  callback: 'callback',
  /**
   * `recording`: the flow started streaming the caller's audio to take a message (set by the
   * flow); `left`: the message was stored (set by the voicemail packager before the call is
   * logged); `empty`: the stream held no audio of the caller (a hang-up at the tone).
   */
  voicemail: 'voicemail',
  /** The Kinesis Video stream of the caller's audio (`$.MediaStreams.Customer.Audio.StreamARN`). */
  voicemailStreamArn: 'voicemailStreamArn',
  /** Where the message starts in it (`$.MediaStreams.Customer.Audio.StartFragmentNumber`). */
  voicemailStartFragment: 'voicemailStartFragment',
  /** When streaming started (`$.MediaStreams.Customer.Audio.StartTimestamp`). */
  voicemailStartTimestamp: 'voicemailStartTimestamp',
  /** The message's S3 key in the recordings bucket. */
  voicemailKey: 'voicemailKey',
  /** The message's length, whole seconds. */
  voicemailDurationSeconds: 'voicemailDurationSeconds',
} as const;

/** The value of `callback` once the caller asked for one. */
export const CALLBACK_REQUESTED = 'requested';
/** The value of `voicemail` once a message was recorded. */
export const VOICEMAIL_LEFT = 'left';
/** The value of `voicemail` the flow sets when it starts streaming the caller's audio. */
export const VOICEMAIL_RECORDING = 'recording';
/** The value of `voicemail` when the stream held no audio of the caller. */
export const VOICEMAIL_EMPTY = 'empty';
/** InitiationMethod of the contact Connect creates for a queued callback (its own record). */
export const CALLBACK_INITIATION_METHOD = 'CALLBACK';

/** The instance a simulated call runs in when the call names none (no such instance exists). */
export const DEFAULT_INSTANCE_ARN =
  'arn:aws:connect:us-east-1:000000000000:instance/00000000-0000-4000-8000-000000000000';

/** The instance alias of the recording's S3 key when the call names none. */
export const DEFAULT_INSTANCE_ALIAS = 'calltrack';

/** The bucket a recording's Location names when the call names none (the local system's). */
export const DEFAULT_RECORDINGS_BUCKET = 'local-recordings';

/** How many actions one simulated call may take before the simulator calls it a loop. */
export const DEFAULT_MAX_STEPS = 200;

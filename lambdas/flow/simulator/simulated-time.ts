/** The durations of the simulated clock, in seconds (the model: see simulate-call.ts). */
export const SIMULATED_TIME = {
  promptCharactersPerSecond: 15,
  recordedPromptSeconds: 5,
  keyPressSeconds: 1,
  ringBeforeAnswerSeconds: 5,
  talkSeconds: 60,
  busySeconds: 3,
  failedCallSeconds: 1,
  queueWaitSeconds: 60,
  /** A free agent takes a queued call after this long (routing and the agent's accept). */
  agentAnswerSeconds: 10,
  /**
   * How long a caller waits in a queue nobody answers, as long as no customer queue flow bounds
   * the wait: the queue's maximum wait once the portfolio declares one, else this (30 minutes).
   */
  maxQueueWaitSeconds: 1800,
  /** How long a caller who leaves a message speaks after the tone. */
  voicemailMessageSeconds: 20,
} as const;

/** A clock reading in milliseconds as the results show it: seconds, to the millisecond. */
export const seconds = (ms: number): number => Math.round(ms) / 1000;

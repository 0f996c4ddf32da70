/** A refused context value or deploy target: reported as a message (exit 1), not a stack trace. */
export class ContextError extends Error {
  override name = 'ContextError';
}

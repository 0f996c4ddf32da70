/** A short, single-line reason for logs: the error's name and the start of its message. */
export const describeError = (error: unknown): string => {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 300);
  return `non-error thrown: ${String(error)}`.slice(0, 300);
};

/** Where `npm run call` writes: the process's stdout and stderr, or a test's buffers. */
export interface CallOutput {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

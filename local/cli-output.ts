/** Where a command-line script writes: the process's stdout and stderr, or a test's buffers. */
export interface CliOutput {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

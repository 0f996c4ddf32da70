/** Where a command-line script writes: the process's stdout and stderr, or a test's buffers. */
export interface CliOutput {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/** A mistake in a command's arguments: printed with the usage, exit code 2. */
export class CliUsageError extends Error {}

/**
 * Runs a command's body: exit 2 with the usage for a usage mistake (its own or parseArgs'), exit 1
 * with the message for any other failure, prefixed with the command's name.
 */
export const runCommand = (
  name: string,
  usage: string,
  output: CliOutput,
  body: () => Promise<number>,
): Promise<number> =>
  body().catch((error: unknown) => {
    const isUsage =
      error instanceof CliUsageError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true;
    output.stderr.write(
      `${name}: ${error instanceof Error ? error.message : String(error)}\n${isUsage ? usage : ''}`,
    );
    return isUsage ? 2 : 1;
  });

import type { CliOutput } from '../../local/cli-output.js';

/** What a command-line script did: its exit code and everything it wrote. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a script's main in this process, collecting what it writes instead of printing it. */
export const runInProcess = async (
  main: (argv: readonly string[], output: CliOutput) => Promise<number>,
  args: readonly string[],
): Promise<CliRun> => {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
};

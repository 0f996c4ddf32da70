/**
 * `npm run call` without its process: the arguments in, the report written to `output`, the exit
 * code out (0 when the simulation completes, whatever happens to the caller; 1 when the flow
 * cannot be simulated or the portfolio is invalid; 2 for bad arguments). scripts/call.ts runs it
 * on the process's own streams; tests run it in-process.
 */

import type { CliOutput } from '../cli-output.js';
import { parseCallArguments, USAGE, UsageError } from './args.js';

export const callMain = async (argv: readonly string[], output: CliOutput): Promise<number> => {
  let args: ReturnType<typeof parseCallArguments>;
  try {
    args = parseCallArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const problems = error.message
      .split('\n')
      .map((line) => `call: ${line}`)
      .join('\n');
    output.stderr.write(`${problems}\n\n${USAGE}`);
    return 2;
  }
  if (!args) {
    output.stdout.write(USAGE);
    return 0;
  }
  // Loaded once the arguments are known good: a usage error answers at once.
  const { runCall } = await import('./run.js');
  return runCall(args, output);
};

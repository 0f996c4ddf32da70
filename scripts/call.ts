/**
 * `npm run call`: one simulated call through the inbound contact flow, against a local routing table
 * filled from the portfolio, answered by the real route-call handler. Exit 0 when the simulation
 * completes (whatever happens to the caller), 1 when the flow cannot be simulated or the portfolio
 * is invalid, 2 for bad arguments.
 */
import { parseCallArguments, USAGE, UsageError } from '../local/call/args.js';

const main = async (argv: readonly string[]): Promise<number> => {
  let args: ReturnType<typeof parseCallArguments>;
  try {
    args = parseCallArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const problems = error.message
      .split('\n')
      .map((line) => `call: ${line}`)
      .join('\n');
    process.stderr.write(`${problems}\n\n${USAGE}`);
    return 2;
  }
  if (!args) {
    process.stdout.write(USAGE);
    return 0;
  }
  // Loaded once the arguments are known good: a usage error answers at once.
  const { runCall } = await import('../local/call/run.js');
  return runCall(args);
};

// No process.exit: the process ends when the last handle closes, which proves none is left open.
process.exitCode = await main(process.argv.slice(2));

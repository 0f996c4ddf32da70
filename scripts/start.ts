/**
 * `npm start`: the whole system on this machine (local/full-system.ts), until Ctrl-C.
 * Exit 0 on Ctrl-C (or SIGTERM), 1 when it cannot start (busy port, bad portfolio, already
 * running), 2 for bad arguments.
 */
import { parseArgs } from 'node:util';
import { PortfolioError } from '../lambdas/domain/portfolio/parse.js';
import { loadDemo, readDemoMarker, writeDemoMarker } from '../local/demo.js';
import {
  DEFAULT_PORT,
  LocalSystemRunningError,
  NotLocalDataError,
  PortInUseError,
  startLocalSystem,
} from '../local/full-system.js';
import { localDataDirectory } from '../local/names.js';

const USAGE = `Usage: npm start -- [options]

Starts the whole call-tracking system on 127.0.0.1: local DynamoDB and S3 (data kept in .local/),
the routing table from the portfolio, the reporting API with its access tokens, and the dashboard.

  --demo              fill it with a month of demo calls (once; with --reset, afresh)
  --reset             wipe the local data first
  --port <n>          the API and dashboard's port (default ${DEFAULT_PORT}; 0 for any free one)
  --portfolio <file>  the portfolio (default config/portfolio.yaml), validated as synth does
  --data <dir>        where the data is kept (default .local/)
  -h, --help          print this help
`;

class UsageError extends Error {}

const parse = (argv: readonly string[]) => {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      demo: { type: 'boolean' },
      reset: { type: 'boolean' },
      port: { type: 'string' },
      portfolio: { type: 'string' },
      data: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new UsageError(`--port ${values.port} is not a port number (0-65535)`);
  }
  return {
    help: values.help === true,
    demo: values.demo === true,
    reset: values.reset === true,
    port,
    portfolio: values.portfolio,
    data: localDataDirectory(values.data),
  };
};

const main = async (argv: readonly string[]): Promise<number> => {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (error) {
    process.stderr.write(`start: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }

  // One short line per API request, once the demo (which goes through the API too) is loaded.
  let quiet = true;
  const log = (line: Record<string, unknown>) => {
    if (!quiet)
      process.stdout.write(`  api ${line.operationId ?? '-'} ${line.status} ${line.ms} ms\n`);
  };
  let system: Awaited<ReturnType<typeof startLocalSystem>>;
  try {
    system = await startLocalSystem({
      dataDirectory: args.data,
      reset: args.reset,
      port: args.port,
      log,
      ...(args.portfolio ? { portfolioPath: args.portfolio } : {}),
    });
  } catch (error) {
    if (
      error instanceof PortfolioError ||
      error instanceof PortInUseError ||
      error instanceof LocalSystemRunningError ||
      error instanceof NotLocalDataError
    ) {
      process.stderr.write(`start: ${error.message}\n`);
      return 1;
    }
    throw error;
  }

  const stopped = new Promise<void>((done) => {
    const stop = () => {
      process.stdout.write('\nStopping…\n');
      system.close().then(done, done);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

  if (args.demo) {
    const loaded = await readDemoMarker(args.data);
    if (loaded) {
      process.stdout.write(
        `The demo month (${loaded.calls} calls) is already loaded; npm start -- --reset --demo loads it afresh.\n`,
      );
    } else {
      process.stdout.write('Loading the demo month: every call through the flow and the ingest…\n');
      const summary = await loadDemo(system, {
        onProgress: (done, total) => process.stdout.write(`  ${done}/${total} calls\n`),
      });
      await writeDemoMarker(args.data, summary);
      process.stdout.write(
        `Loaded ${summary.calls} calls (${summary.leadUpdates} lead updates), ${summary.from.slice(0, 10)} to ${summary.to.slice(0, 10)}.\n`,
      );
    }
  }

  const example = system.routing.entries[1] ?? system.routing.entries[0];
  process.stdout.write(`
Call tracking is running on this machine (data: ${system.storage}).

  Dashboard   ${system.dashboardUrl}
  API         ${system.url}   (send Authorization: Bearer <token>)
  Tokens      admin ${system.tokens.admin}
              read-only ${system.tokens.read}

Three things to try next:
  1. Open the dashboard link above in a browser.
  2. Place a call, then find it in the dashboard and the API:
       npm run call -- --to ${example?.trackingNumber ?? '+15125550151'} --from +17375550100
  3. Read the call log:
       curl -H 'Authorization: Bearer ${system.tokens.read}' '${system.url}/calls?limit=5'

Ctrl-C stops it; the data stays (npm start -- --reset wipes it).
`);
  quiet = false;
  await stopped;
  return 0;
};

process.exitCode = await main(process.argv.slice(2));
// Handles of s3rver and dynalite can outlive close() by a moment; nothing is left to do.
process.exit();

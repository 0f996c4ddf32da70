/**
 * `npm run replay`: puts contact records back through the ingest from the archive, the failure
 * queue or a file (local/replay-cli.ts).
 */
import { replayMain } from '../local/replay-cli.js';

process.exitCode = await replayMain(process.argv.slice(2), process);

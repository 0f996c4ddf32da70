/**
 * `npm run import-records -- <file>`: backfills the call log from a JSON-lines file of contact
 * records through the same ingest code as the Kinesis stream (local/import-records-cli.ts).
 */
import { importRecordsMain } from '../local/import-records-cli.js';

process.exitCode = await importRecordsMain(process.argv.slice(2), process);

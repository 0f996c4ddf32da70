/**
 * `npm run erase-caller`: erases one caller's data on request, locally or in the deployed tables
 * and buckets (local/erase-caller-cli.ts).
 */
import { eraseCallerMain } from '../local/erase-caller-cli.js';

process.exitCode = await eraseCallerMain(process.argv.slice(2), process);

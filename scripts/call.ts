/**
 * `npm run call`: one simulated call through the inbound contact flow, against a local routing table
 * filled from the portfolio, answered by the real route-call handler (local/call/main.ts).
 */
import { callMain } from '../local/call/main.js';

// No process.exit: the process ends when the last handle closes, which proves none is left open.
process.exitCode = await callMain(process.argv.slice(2), process);

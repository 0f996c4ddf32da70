/**
 * `npm run preflight -- [--instance-arn <arn>] [--portfolio <file>]`: before the first deploy,
 * what would fail in this AWS account and which quotas to raise (ops/preflight/cli.ts).
 */
import { preflightMain } from '../ops/preflight/cli.js';

process.exitCode = await preflightMain(process.argv.slice(2), process);

/**
 * `npm run replay-webhooks`: redelivers the webhook deliveries that spent every retry, locally or
 * from the deployed dead-letter queue (local/replay-webhooks-cli.ts).
 */
import { replayWebhooksMain } from '../local/replay-webhooks-cli.js';

process.exitCode = await replayWebhooksMain(process.argv.slice(2), process);

/**
 * `npm run replay-webhooks`: redelivers webhook deliveries that spent every retry (the dead
 * letters), each with a fresh retry schedule. Locally: the running `npm start`'s dead letters
 * (its bus endpoint). Deployed: `--dead-letter-queue <ARN>` (the API stack's output
 * WebhookDeadLetterQueueArn) moves the dead-letter queue's messages back to the webhook queue with
 * SQS's own redrive (StartMessageMoveTask). Exit 0 when done, 1 when it failed, 2 for bad arguments.
 */
import { parseArgs } from 'node:util';
import { SQSClient, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import { type CliOutput, CliUsageError, runCommand } from './cli-output.js';
import { localDataDirectory } from './names.js';
import { readRunningSystem, runningFileIn } from './running-record.js';

const USAGE = `Usage: npm run replay-webhooks -- [options]

Redelivers webhook deliveries that failed every attempt (32 hours of retries), each with a fresh
schedule.

  (no option)                 the running npm start's dead letters (of .local/, or --data)
  --data <dir>                the local system's data directory instead of .local/
  --dead-letter-queue <arn>   deployed: the API stack's WebhookDeadLetterQueueArn output; its
                              messages are moved back to the webhook queue (StartMessageMoveTask)
  --region <region>           the queue's region (default: AWS_REGION or the profile's)
  --profile <name>            the AWS profile to use
  --json                      print the result as one JSON object
  -h, --help                  print this help
`;

const run = async (argv: readonly string[], output: CliOutput): Promise<number> => {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      data: { type: 'string' },
      'dead-letter-queue': { type: 'string' },
      region: { type: 'string' },
      profile: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    output.stdout.write(USAGE);
    return 0;
  }
  const print = (result: Record<string, unknown>, text: string) =>
    output.stdout.write(values.json ? `${JSON.stringify(result)}\n` : `${text}\n`);
  const queueArn = values['dead-letter-queue'];
  if (queueArn !== undefined) {
    if (!/^arn:aws[\w-]*:sqs:[\w-]+:\d{12}:.+$/.test(queueArn)) {
      throw new CliUsageError(`--dead-letter-queue ${queueArn} is not an SQS queue ARN`);
    }
    if (values.data !== undefined) throw new CliUsageError('--data is for the local system only');
    if (values.profile) process.env.AWS_PROFILE = values.profile;
    const client = new SQSClient(values.region ? { region: values.region } : {});
    try {
      // Without a destination SQS moves the messages back to the queue they came from.
      const { TaskHandle } = await client.send(
        new StartMessageMoveTaskCommand({ SourceArn: queueArn }),
      );
      print(
        { moveTask: TaskHandle },
        `Moving the dead letters of ${queueArn} back to the webhook queue (task ${TaskHandle}); each is retried on a fresh schedule.`,
      );
      return 0;
    } finally {
      client.destroy();
    }
  }
  if (values.region || values.profile) {
    throw new CliUsageError('--region and --profile go with --dead-letter-queue');
  }
  const running = readRunningSystem(runningFileIn(localDataDirectory(values.data)));
  if (!running?.eventBusUrl) {
    output.stderr.write(
      'replay-webhooks: the local system is not running: start it (npm start), or give --dead-letter-queue for a deployed system\n',
    );
    return 1;
  }
  const response = await fetch(`${running.eventBusUrl}/dead-letters/replay`, { method: 'POST' });
  if (!response.ok) throw new Error(`the running system answered ${response.status}`);
  const { replayed } = (await response.json()) as { replayed: number };
  print({ replayed }, `Redelivering ${replayed} dead letter${replayed === 1 ? '' : 's'}.`);
  return 0;
};

export const replayWebhooksMain = (argv: readonly string[], output: CliOutput): Promise<number> =>
  runCommand('replay-webhooks', USAGE, output, () => run(argv, output));

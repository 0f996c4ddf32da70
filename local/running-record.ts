import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PriceTable } from '../lambdas/domain/call-cost.js';
import { LOCAL_DATA_DIRECTORY } from './names.js';

/**
 * While `npm start` runs, it owns the local data (LevelDB allows one process): it leaves its
 * endpoints in `.local/running.json` so other commands (import-records) talk to it instead of
 * opening the data themselves. Its stores serve only requests signed with the run's credentials,
 * kept here too: the file is the owner's alone (0600).
 */
export interface RunningSystem {
  readonly pid: number;
  readonly dynamodbEndpoint: string;
  readonly routingTableName?: string;
  readonly callLogTableName?: string;
  readonly s3Endpoint?: string;
  readonly recordingsBucket?: string;
  readonly apiUrl?: string;
  /** Where other processes publish call events for its webhooks (local/webhooks.ts). */
  readonly eventBusUrl?: string;
  /** Location id → its voicemail email address (the portfolio's), for `npm run call`'s outbox. */
  readonly voicemailEmails?: Readonly<Record<string, string>>;
  /** The portfolio's price table, for the costs of the records imported into it. */
  readonly prices?: PriceTable;
  /** The credentials both stores require (store-gate.ts); absent: the stores accept any. */
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
}

/** The credentials a running system's stores require, when it recorded some. */
export const credentialsOf = (
  running: RunningSystem,
): { accessKeyId: string; secretAccessKey: string } | undefined =>
  running.accessKeyId !== undefined && running.secretAccessKey !== undefined
    ? { accessKeyId: running.accessKeyId, secretAccessKey: running.secretAccessKey }
    : undefined;

/** The record of a system keeping its data in `dataDirectory`. */
export const runningFileIn = (dataDirectory: URL): URL => new URL('running.json', dataDirectory);

const RUNNING_FILE = runningFileIn(LOCAL_DATA_DIRECTORY);

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The running local system, or undefined when none runs (a file left by a crash is ignored). */
export const readRunningSystem = (file: URL = RUNNING_FILE): RunningSystem | undefined => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  const running = parsed as Partial<RunningSystem>;
  if (typeof running.pid !== 'number' || typeof running.dynamodbEndpoint !== 'string') {
    return undefined;
  }
  return isAlive(running.pid) ? (running as RunningSystem) : undefined;
};

/** Records this process as the running local system; the returned function removes the record. */
export const announceRunningSystem = (
  system: Omit<RunningSystem, 'pid'>,
  file: URL = RUNNING_FILE,
): (() => void) => {
  mkdirSync(fileURLToPath(new URL('.', file)), { recursive: true });
  // mode applies to a new file only: chmod a file left by a crash too.
  writeFileSync(file, `${JSON.stringify({ pid: process.pid, ...system }, null, 2)}\n`, {
    mode: 0o600,
  });
  chmodSync(file, 0o600);
  return () => rmSync(file, { force: true });
};

import { readFile, writeFile } from 'node:fs/promises';
import {
  QUEUE_OUTCOME_ATTRIBUTES,
  VOICEMAIL_LEFT,
} from '../lambdas/contracts/queue-outcome-attributes.js';
import { RECORDINGS_PREFIX } from '../lambdas/domain/recordings.js';
import { type DemoCall, planDemoCalls } from './demo-plan.js';
import type { LocalSystem } from './full-system.js';

/**
 * Fills a local system with the demo month: every call placed through the simulator and the real
 * route-call, logged through the real ingest (with a recording), the messages some unanswered
 * callers leave (a later contact record with the voicemail attributes, the audio in local S3), and
 * the leads that rented or were lost marked through the API's own PATCH /calls/{contactId}, as a
 * person at a location would.
 */

export interface DemoOptions {
  /** The month ends here. @default now */
  readonly until?: Date;
  /** @default 30 */
  readonly days?: number;
  /** Called every `every` calls with how many are done. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface DemoSummary {
  readonly calls: number;
  readonly messages: number;
  readonly leadUpdates: number;
  readonly from: string;
  readonly to: string;
}

const markLead = async (system: LocalSystem, call: DemoCall): Promise<void> => {
  const response = await fetch(`${system.url}/calls/${encodeURIComponent(call.contactId)}`, {
    method: 'PATCH',
    headers: {
      authorization: `Bearer ${system.tokens.admin}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(call.lead),
  });
  if (!response.ok) {
    throw new Error(
      `demo: marking lead ${call.contactId} failed: ${response.status} ${await response.text()}`,
    );
  }
};

/**
 * The later contact record of a call whose caller left a message: the attributes the voicemail
 * work sets, the key below the recordings prefix (where the API may presign it).
 */
const withMessage = (
  record: Readonly<Record<string, unknown>>,
  call: DemoCall,
  seconds: number,
): Record<string, unknown> => {
  const day = call.at.toISOString().slice(0, 10).replaceAll('-', '/');
  const updated = Date.parse(String(record.LastUpdateTimestamp)) + seconds * 1000 + 5_000;
  return {
    ...record,
    Attributes: {
      ...(record.Attributes as Record<string, string> | undefined),
      [QUEUE_OUTCOME_ATTRIBUTES.voicemail]: VOICEMAIL_LEFT,
      [QUEUE_OUTCOME_ATTRIBUTES.voicemailKey]: `${RECORDINGS_PREFIX}/voicemail/${day}/${call.contactId}.wav`,
      [QUEUE_OUTCOME_ATTRIBUTES.voicemailDurationSeconds]: String(seconds),
    },
    LastUpdateTimestamp: new Date(updated).toISOString(),
  };
};

export const loadDemo = async (
  system: LocalSystem,
  options: DemoOptions = {},
): Promise<DemoSummary> => {
  const until = options.until ?? new Date();
  const plan = planDemoCalls({
    entries: system.routing.entries,
    until,
    ...(options.days === undefined ? {} : { days: options.days }),
  });
  let leadUpdates = 0;
  let messages = 0;
  for (const [i, call] of plan.entries()) {
    const placed = await system.placeCall(
      {
        contactId: call.contactId,
        dialed: call.dialed,
        caller: call.caller,
        at: call.at,
        digits: call.digits,
      },
      { ringTo: call.ringTo },
    );
    if (call.messageSeconds !== undefined) {
      const record = placed.result.simulation.contactRecord;
      await system.logContactRecord(withMessage(record, call, call.messageSeconds));
      messages += 1;
    }
    if (call.lead) {
      await markLead(system, call);
      leadUpdates += 1;
    }
    if ((i + 1) % 50 === 0 || i + 1 === plan.length) options.onProgress?.(i + 1, plan.length);
  }
  return {
    calls: plan.length,
    messages,
    leadUpdates,
    from: plan[0]?.at.toISOString() ?? until.toISOString(),
    to: plan.at(-1)?.at.toISOString() ?? until.toISOString(),
  };
};

/** The demo month is loaded once per data directory: a marker file says when. */
export const demoMarker = (dataDirectory: URL): URL => new URL('demo.json', dataDirectory);

export const readDemoMarker = async (dataDirectory: URL): Promise<DemoSummary | undefined> => {
  try {
    return JSON.parse(await readFile(demoMarker(dataDirectory), 'utf8')) as DemoSummary;
  } catch {
    return undefined;
  }
};

export const writeDemoMarker = (dataDirectory: URL, summary: DemoSummary): Promise<void> =>
  writeFile(demoMarker(dataDirectory), `${JSON.stringify(summary, null, 2)}\n`);

import type { SimulatedCall, SimulationResult } from '../lambdas/flow/simulator/types.js';
import type { LocalStandIn } from './names.js';
import type { LocalCallResult } from './routing-system.js';

/**
 * What `npm run call` prints about one local call: a readable trace, or one JSON object. Kept apart
 * from the CLI so the local server can show the same report.
 */

export interface CallReportInput {
  readonly call: SimulatedCall;
  /** The call's time as the user wrote it (with its offset). @default - call.at in UTC */
  readonly atText?: string;
  /** What the world was told, in words (e.g. `ring-to: no-answer`). */
  readonly conditions?: readonly string[];
  readonly result: LocalCallResult;
  readonly standIns?: readonly LocalStandIn[];
  /** Where the routing table came from, e.g. `8 numbers from config/portfolio.yaml`. */
  readonly source?: string;
  /** Where CheckHoursOfOperation's answers came from, e.g. `austin-north's hours (America/Chicago)`. */
  readonly hoursSource?: string;
}

const seconds = (value: number): string => `${value.toFixed(1)}s`;

const pad = (text: string, width: number): string =>
  text.length >= width ? `${text} ` : text.padEnd(width);

/** `none` is how route-call and the flow say "nothing": leave such attributes out. */
const present = (value: string | undefined): value is string =>
  value !== undefined && value !== '' && value !== 'none';

/** The location and ad source the call was attributed to, from its contact attributes. */
export const attributionOf = (
  attributes: Readonly<Record<string, string>>,
): Record<string, string> => {
  const keys = [
    'status',
    'trackingId',
    'trackingNumber',
    'locationId',
    'locationName',
    'source',
    'campaign',
    'ringTo',
    'open',
    'fallbackType',
    'fallbackNumber',
    'fallbackQueueArn',
  ];
  return Object.fromEntries(
    keys.flatMap((key) => (present(attributes[key]) ? [[key, attributes[key]]] : [])),
  );
};

/** The `reason` of a function's JSON log line, if it gives one. */
const loggedReason = (line: string): string | undefined => {
  try {
    const parsed: unknown = JSON.parse(line);
    const reason =
      parsed !== null && typeof parsed === 'object'
        ? (parsed as { reason?: unknown }).reason
        : undefined;
    return typeof reason === 'string' ? reason : undefined;
  } catch {
    return undefined;
  }
};

/** How a queued call's wait ended, in words. */
const queueEnding = (queue: SimulationResult['queue']): string => {
  if (queue === undefined) return '';
  return queue.answeredByAgentSeconds === undefined
    ? `, waited ${queue.waitSeconds} s: nobody answered (waited to the bound), then hung up`
    : `, answered by an agent after ${queue.waitSeconds} s`;
};

const outcomeLine = (simulation: SimulationResult): string => {
  const { outcome, endpoint } = simulation;
  switch (outcome) {
    case 'transferred':
      return `transferred to ${endpoint}`;
    case 'queued':
      return `queued in ${endpoint}${queueEnding(simulation.queue)}`;
    case 'message-disconnect':
      return 'heard a message, then was disconnected';
    default:
      return `${outcome}${endpoint === 'none' ? '' : ` (${endpoint})`}`;
  }
};

/** The readable report: the call, the trace, prompts, recording, functions, and the outcome. */
export const formatCallReport = (input: CallReportInput): string => {
  const { call, result } = input;
  const { simulation } = result;
  const lines: string[] = [];
  const at = input.atText ?? call.at.toISOString();
  lines.push(
    `Call to ${call.dialed} from ${call.caller} at ${at}` +
      (call.digits ? `, caller presses ${call.digits}` : '') +
      (input.conditions?.length ? ` (${input.conditions.join(', ')})` : ''),
  );
  if (input.source) lines.push(`Routing table: ${input.source}`);
  for (const s of input.standIns ?? []) {
    lines.push(`  claimed number ${s.trackingId} stands in locally as ${s.number}`);
  }

  lines.push('', 'Trace');
  const idWidth = Math.max(6, ...simulation.trace.map((s) => s.identifier.length)) + 2;
  const branchWidth = Math.max(6, ...simulation.trace.map((s) => s.branch.length)) + 2;
  lines.push(
    `  ${'step'.padStart(4)}  ${'time'.padStart(6)}  ${pad('action', idWidth)}${pad('branch', branchWidth)}note`,
  );
  for (const step of simulation.trace) {
    lines.push(
      `  ${String(step.step).padStart(4)}  ${seconds(step.atSeconds).padStart(6)}  ${pad(step.identifier, idWidth)}${pad(step.branch, branchWidth)}${step.note ?? ''}`.trimEnd(),
    );
  }

  lines.push('', 'Prompts heard');
  if (simulation.prompts.length === 0) lines.push('  (none)');
  for (const p of simulation.prompts) {
    lines.push(`  ${seconds(p.atSeconds).padStart(6)}  "${p.text}"  (${p.by})`);
  }

  if (simulation.agentWhisper !== undefined) {
    lines.push('', 'The agent heard (whisper, before the caller was connected)');
    for (const p of simulation.agentWhisper) {
      lines.push(`  ${seconds(p.atSeconds).padStart(6)}  "${p.text}"  (${p.by})`);
    }
  }

  lines.push('', 'Recording');
  if (simulation.recording.length === 0) lines.push('  (never recorded)');
  for (const r of simulation.recording) {
    lines.push(`  ${seconds(r.atSeconds).padStart(6)}  ${pad(r.state, 10)} (${r.by})`);
  }

  if (result.hoursChecks.length > 0) {
    lines.push('', `Hours of operation${input.hoursSource ? ` (${input.hoursSource})` : ''}`);
    for (const h of result.hoursChecks) {
      const which = h.hoursOfOperationId ?? `the hours of queue ${h.queueArn ?? 'none'}`;
      lines.push(`  ${which}: ${h.open ? 'open' : 'closed'} at ${h.at.toISOString()}`);
    }
  }

  if (result.staffingChecks.length > 0) {
    lines.push('', 'Staffing');
    for (const s of result.staffingChecks) lines.push(`  ${s.queueArn}: agents ${s.agents}`);
  }

  if (result.invocations.length > 0) {
    lines.push('', 'Functions');
    for (const i of result.invocations) {
      const limitMs = i.timeLimitSeconds * 1000;
      const answer =
        i.outcome === undefined
          ? 'still running when the call ended: the world closed without its answer'
          : i.outcome.kind === 'ok'
            ? Object.entries(i.outcome.result)
                .filter(([key]) => key === 'status' || key === 'recording')
                .map(([key, value]) => `${key} ${String(value)}`)
                .join(', ') || 'ok'
            : `error: ${i.outcome.reason}`;
      const late =
        i.outcome !== undefined && i.elapsedMs !== undefined && i.elapsedMs > limitMs
          ? ` (past its ${i.timeLimitSeconds} s time limit: the flow took the Error branch)`
          : '';
      const reason = i.logs.map(loggedReason).find((r) => r !== undefined);
      const took = i.elapsedMs === undefined ? `> ${limitMs} ms` : `${Math.round(i.elapsedMs)} ms`;
      lines.push(
        `  ${pad(i.functionName, 18)}${pad(took, 9)}${answer}${late}${reason ? ` (${reason})` : ''}`,
      );
    }
  }

  const who = attributionOf(simulation.attributes);
  lines.push('');
  if (who.locationId) {
    lines.push(
      `Location: ${who.locationName ?? who.locationId} (${who.locationId})` +
        `, source ${who.source ?? 'none'}` +
        (who.campaign ? `, campaign ${who.campaign}` : '') +
        (who.trackingId ? `, tracking id ${who.trackingId}` : ''),
    );
    // Say why a call to a known number did not ring the location: after hours is not a failure.
    lines.push(
      `Route: ring-to ${who.ringTo ?? 'none'}, ${who.open === 'true' ? 'open' : 'closed (after hours)'} at the time of the call` +
        `, fallback ${who.fallbackType ?? 'none'} ${who.fallbackNumber ?? who.fallbackQueueArn ?? ''}`.trimEnd(),
    );
  } else {
    lines.push(`Location: none (route-call status ${who.status ?? 'not reached'})`);
  }
  if (result.unusedDigits !== '') {
    lines.push(
      `Unused digits: ${result.unusedDigits} (the flow asked for fewer keys than --digits gave)`,
    );
  }
  lines.push(`Outcome: ${outcomeLine(simulation)}`);
  return `${lines.join('\n')}\n`;
};

/** The JSON report: the simulation's result, plus the call, attribution and functions. */
export const callReportJson = (input: CallReportInput): Record<string, unknown> => {
  const { call, result } = input;
  const { simulation } = result;
  return {
    call: {
      to: call.dialed,
      from: call.caller,
      at: input.atText ?? call.at.toISOString(),
      digits: call.digits ?? '',
      conditions: input.conditions ?? [],
    },
    outcome: simulation.outcome,
    endpoint: simulation.endpoint,
    waitSeconds: simulation.waitSeconds,
    // The message left or the callback created, null when the call has none.
    voicemail: simulation.voicemail ?? null,
    callback: simulation.callback ?? null,
    unusedDigits: result.unusedDigits,
    location: attributionOf(simulation.attributes),
    trace: simulation.trace,
    prompts: simulation.prompts,
    // What an agent who took the call heard before the caller: [] when no agent did.
    agentWhisper: simulation.agentWhisper ?? [],
    recording: simulation.recording,
    attributes: simulation.attributes,
    attributeHistory: simulation.attributeHistory,
    contactRecord: simulation.contactRecord,
    invocations: result.invocations.map((i) => ({
      function: i.functionName,
      arn: i.arn,
      parameters: i.parameters,
      timeLimitSeconds: i.timeLimitSeconds,
      // null: still running when the call ended.
      elapsedMs: i.elapsedMs === undefined ? null : Math.round(i.elapsedMs),
      outcome: i.outcome ?? null,
      logs: i.logs,
    })),
    recordingRequests: result.recordingRequests,
    stillRunning: result.stillRunning.map((i) => ({ function: i.functionName, arn: i.arn })),
    hoursChecks: result.hoursChecks.map((h) => ({ ...h, at: h.at.toISOString() })),
    staffingChecks: result.staffingChecks,
    ...(input.hoursSource === undefined ? {} : { hoursSource: input.hoursSource }),
    standIns: input.standIns ?? [],
  };
};

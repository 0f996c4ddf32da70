import type { ConnectContactFlowEvent, ConnectContactFlowResult } from 'aws-lambda';
import type { CallerHistory } from '../adapters/dynamodb/caller-history-reader.js';
import type { LookupResult, RoutingLookup } from '../adapters/dynamodb/routing-table-reader.js';
import {
  METRIC_NAMESPACE,
  ROUTE_CALL_METRICS,
  ROUTE_CALL_STATUS_DIMENSION,
} from '../contracts/metrics.js';
import { ROUTE_ANSWER_KEYS } from '../contracts/route-answer.js';
import { embeddedMetricFields } from '../domain/embedded-metrics.js';
import { isRecord } from '../domain/is-record.js';
import { isE164, maskPhoneNumber } from '../domain/phone-number.js';
import { type RouteAnswer, routeAnswer, unroutedAnswer } from '../domain/route.js';

/**
 * route-call: Connect's "Invoke AWS Lambda function" block calls it with the dialed tracking number
 * and gets back a flat STRING_MAP (see RouteAnswer). It always answers: a failed or slow lookup is an
 * `error` answer that the flow sends to its static fallback, never an exception that would make
 * Connect retry and then take the Error branch.
 */

/** What route-call needs from a contact-flow event. */
interface CallInput {
  readonly contactId: string | undefined;
  readonly dialed: string | undefined;
  readonly caller: string | undefined;
}

const nonEmpty = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

const endpointAddress = (endpoint: unknown): string | undefined =>
  isRecord(endpoint) ? nonEmpty(endpoint.Address) : undefined;

/**
 * Reads the call from the event, tolerating null endpoints, missing Parameters and extra fields.
 * Returns undefined when the event is not a contact-flow event at all.
 */
const readCall = (event: unknown): CallInput | undefined => {
  const details = isRecord(event) ? event.Details : undefined;
  const contact = isRecord(details) ? details.ContactData : undefined;
  if (!isRecord(details) || !isRecord(contact)) return undefined;
  const parameters = isRecord(details.Parameters) ? details.Parameters : {};
  return {
    contactId: nonEmpty(contact.ContactId),
    dialed: nonEmpty(parameters.dialed) ?? endpointAddress(contact.SystemEndpoint),
    // Only from the contact data Connect sends anyway: no flow passes the caller as a parameter,
    // where flow logs would keep it.
    caller: endpointAddress(contact.CustomerEndpoint),
  };
};

/** A non-E.164 dialed value is echoed back (for the contact record) only as short, safe text. */
const printable = (value: string | undefined): string | undefined =>
  value?.replace(/[^\w+-]/g, '').slice(0, 32) || undefined;

/** The STRING_MAP Connect receives: every answer key, in the published order. */
export const toResult = (answer: RouteAnswer): ConnectContactFlowResult =>
  Object.fromEntries(ROUTE_ANSWER_KEYS.map((key) => [key, answer[key]]));

type LogLevel = 'info' | 'warn' | 'error';

/** Where a log line goes: the function's log (console.log), unless the caller keeps them. */
export type LogWriter = (line: string) => void;

const consoleLog: LogWriter = (line) => console.log(line);

/** One JSON line per call; the caller's number is always masked. */
export const log = (
  level: LogLevel,
  fields: Record<string, unknown>,
  write: LogWriter = consoleLog,
): void => {
  write(JSON.stringify({ level, msg: 'route-call', ...fields }));
};

/**
 * The EMF block of a call's log line (lambdas/contracts/metrics.ts): one answer by status, cache
 * hit, lookup time and stale serving, so "are calls working?" is a metric, not a log search.
 */
// The status dimension's value is the line's own `status` field.
const callMetrics = (
  cacheHit: boolean,
  lookupMs: number,
  stale: boolean,
  timestampMs: number,
): Record<string, unknown> =>
  embeddedMetricFields(
    METRIC_NAMESPACE,
    [ROUTE_CALL_STATUS_DIMENSION],
    [
      { name: ROUTE_CALL_METRICS.calls, unit: 'Count', value: 1 },
      { name: ROUTE_CALL_METRICS.cacheHit, unit: 'Count', value: cacheHit ? 1 : 0 },
      { name: ROUTE_CALL_METRICS.lookupMs, unit: 'Milliseconds', value: lookupMs },
      { name: ROUTE_CALL_METRICS.stale, unit: 'Count', value: stale ? 1 : 0 },
    ],
    timestampMs,
  );

export interface RouteCallDependencies {
  readonly lookup: RoutingLookup;
  /**
   * Whether the caller has called the location before (the agent's whisper and screen say so).
   * Without it every answer says `unknown`.
   */
  readonly callerHistory?: CallerHistory;
  /** Clock for the open/closed decision, epoch milliseconds. @default Date.now */
  readonly now?: () => number;
  /**
   * Where the call's log line goes (the route preview and the local system keep the lines of
   * simulated calls to themselves). @default console.log
   */
  readonly writeLog?: LogWriter;
}

/** The handler body, with its lookup, clock and log injected (tests build it over fakes). */
export const createRouteCall = ({
  lookup,
  callerHistory,
  now = Date.now,
  writeLog = consoleLog,
}: RouteCallDependencies) => {
  const logLine = (level: LogLevel, fields: Record<string, unknown>) =>
    log(level, fields, writeLog);
  return async (event: ConnectContactFlowEvent): Promise<ConnectContactFlowResult> => {
    const call = readCall(event as unknown);
    if (!call) {
      logLine('warn', {
        status: 'error',
        reason: 'event is not a Connect contact-flow event (no Details.ContactData)',
        ...callMetrics(false, 0, false, now()),
      });
      return toResult(unroutedAnswer('error', undefined));
    }
    const base = {
      contactId: call.contactId ?? 'none',
      caller: maskPhoneNumber(call.caller),
    };
    const dialed = call.dialed;
    if (!dialed || !isE164(dialed)) {
      const answer = unroutedAnswer('unknown', printable(dialed));
      logLine('warn', {
        ...base,
        dialed: answer.trackingNumber,
        status: answer.status,
        locationId: answer.locationId,
        cacheHit: false,
        lookupMs: 0,
        reason: dialed ? 'dialed number is not E.164' : 'no dialed number in the event',
        ...callMetrics(false, 0, false, now()),
      });
      return toResult(answer);
    }

    const started = performance.now();
    const result: LookupResult = await lookup.lookup(dialed);
    const lookupMs = Math.round(performance.now() - started);
    let answer: RouteAnswer;
    let reason: string | undefined;
    if (result.kind === 'found') {
      try {
        answer = routeAnswer(result.entry, new Date(now()));
      } catch (error) {
        answer = unroutedAnswer('error', dialed);
        reason = `routing decision failed: ${error instanceof Error ? error.message : String(error)}`;
      }
    } else if (result.kind === 'unknown') {
      answer = unroutedAnswer('unknown', dialed);
    } else {
      answer = unroutedAnswer('error', dialed);
      reason = result.reason;
    }
    // Asked only of a routed call with a real caller number: the answer needs the location.
    const history =
      answer.status === 'found' && callerHistory && call.caller && isE164(call.caller)
        ? await callerHistory.firstTimeCaller(answer.locationId, call.caller)
        : undefined;
    if (history) answer = { ...answer, firstTimeCaller: history.firstTimeCaller };
    const stale = result.kind === 'found' ? result.stale : undefined;
    const level: LogLevel =
      answer.status === 'error'
        ? 'error'
        : answer.status === 'unknown' || stale || history?.firstTimeCaller === 'unknown'
          ? 'warn'
          : 'info';
    logLine(level, {
      ...base,
      dialed,
      status: answer.status,
      locationId: answer.locationId,
      open: answer.open,
      firstTimeCaller: answer.firstTimeCaller,
      // A failed history read costs the agent one hint, not the call: kept apart from `reason`.
      ...(history?.firstTimeCaller === 'unknown' ? { callerHistoryReason: history.reason } : {}),
      cacheHit: result.cacheHit,
      lookupMs,
      // Served from an expired cache entry because the re-read failed: counted, and the reason kept.
      ...(stale
        ? { stale: true, staleAgeSeconds: Math.round(stale.ageMs / 1000), reason: stale.reason }
        : {}),
      ...(reason === undefined ? {} : { reason }),
      ...callMetrics(result.cacheHit, lookupMs, stale !== undefined, now()),
    });
    return toResult(answer);
  };
};

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { callMain } from '../../local/call/main.js';
import { runInProcess } from '../support/cli.js';

/**
 * The README's table of what is recorded on which path is the simulator's recording timeline:
 * each row's call runs through `npm run call` (the shipped flow, the example portfolio, the real
 * route-call and recording-control), and the row must say what the timeline shows for every
 * party the caller was put through to.
 */

const SECTION = '### Card numbers and the recording';
/** What every row's call adds to its own options: a Monday at 10:00 in Austin, open. */
const COMMON = ['--from', '+15125559876', '--at', '2026-11-23T10:00:00-06:00', '--offline'];

interface Row {
  readonly path: string;
  readonly options: readonly string[];
  readonly legs: string;
}

/** The rows of the README's table: path, the `npm run call` options, what each leg records. */
const readmeRows = (): Row[] => {
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf(SECTION);
  expect(start, `README.md has a section "${SECTION}"`).toBeGreaterThan(0);
  const lines = readme.slice(start).split('\n').slice(1);
  const table = lines.slice(lines.findIndex((line) => line.startsWith('|')));
  return table
    .slice(
      2,
      table.findIndex((line) => !line.startsWith('|')),
    )
    .map((line) => {
      const [path = '', options = '', legs = ''] = line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim());
      return { path, options: options.replaceAll('`', '').split(/\s+/), legs };
    });
};

interface CallJson {
  readonly attributes: Record<string, string>;
  readonly trace: readonly {
    step: number;
    identifier: string;
    type: string;
    flow?: string;
    branch: string;
    parameters: Record<string, unknown>;
  }[];
  readonly recording: readonly { state: string; step?: number }[];
  readonly endpoint: string;
}

/** The recording state while trace step `step` ran. */
const stateAt = (call: CallJson, step: number): string =>
  call.recording.findLast((change) => (change.step ?? 0) < step)?.state ?? 'off';

/** Who a transfer reached, by the part they play in the route. */
const roleOf = (call: CallJson, number: unknown): string => {
  const { attributes } = call;
  if (number === attributes.ringTo) return 'staff';
  if (number === attributes.paymentsNumber) return 'payments line';
  if (number === attributes.fallbackNumber) return 'fallback line';
  return 'static fallback';
};

/** Each party the call was put through to (or the voicemail tone), with the recording then. */
const legsOf = (call: CallJson): string =>
  call.trace
    .flatMap((step) => {
      if (step.type === 'TransferParticipantToThirdParty' && step.flow === undefined)
        return [
          `${roleOf(call, step.parameters.ThirdPartyPhoneNumber)}${step.branch === 'next' ? '' : ' (no answer)'}: ${stateAt(call, step.step)}`,
        ];
      if (step.type === 'TransferContactToQueue' && step.branch === 'end')
        return [`${call.endpoint.split('/').at(-1)} agent: ${stateAt(call, step.step)}`];
      if (step.identifier === 'play-voicemail-tone')
        return [`voicemail (message streamed apart): ${stateAt(call, step.step)}`];
      return [];
    })
    .join(' → ');

describe("the README's recording table", () => {
  const rows = readmeRows();

  it('covers the staff leg of each kind of location, payments, and the fallbacks', () => {
    expect(rows.length).toBeGreaterThanOrEqual(7);
    const legs = rows.map((row) => row.legs).join(' ');
    for (const party of ['staff', 'payments line', 'call-center agent', 'voicemail'])
      expect(legs).toContain(party);
  });

  it.each(readmeRows().map((row) => [row.path, row] as const))(
    '%s: says what the simulated call records',
    async (_, row) => {
      const run = await runInProcess(callMain, [...row.options, ...COMMON, '--json']);
      expect(run.code, run.stderr).toBe(0);
      expect(legsOf(JSON.parse(run.stdout) as CallJson)).toBe(row.legs);
    },
    30_000,
  );
});

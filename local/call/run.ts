/**
 * `npm run call`'s run: one simulated call through the inbound contact flow, against a local routing
 * table filled from the portfolio (or a running `npm start`'s), answered by the real route-call,
 * printed as text or JSON. Exit code 0 when the simulation completes (whatever happens to the
 * caller), 1 when the flow cannot be simulated or the portfolio is invalid.
 */
import { relative } from 'node:path';
import { PortfolioError } from '../../lambdas/domain/portfolio/parse.js';
import { FlowSimulationError } from '../../lambdas/flow/simulator/types.js';
import type { CliOutput } from '../cli-output.js';
import { LocalFlowFileError, localFlowFromFile } from '../flow.js';
import { connectRunningSystem } from '../local-call-log.js';
import { LOCAL_CALL_LOG_TABLE_NAME } from '../names.js';
import { callReportJson, formatCallReport } from '../report.js';
import { type LocalRoutingSystem, startLocalRoutingSystem } from '../routing-system.js';
import { runningFileIn } from '../running-record.js';
import type { CallArguments } from './args.js';

const conditionsOf = (args: CallArguments): string[] => [
  ...(args.flow === undefined ? [] : [`flow: ${args.flow}`]),
  `ring-to: ${args.ringTo}`,
  ...(args.routeCall === 'real' ? [] : [`route-call: ${args.routeCall}`]),
  ...(args.queue === 'queued' ? [] : [`queue: ${args.queue}`]),
  ...(args.agents === 'available' ? [] : [`agents: ${args.agents}`]),
  ...(args.inQueue === 'wait' ? [] : [`in queue: ${args.inQueue}`]),
  ...(args.voicemail === 'leave' ? [] : [`at the tone: ${args.voicemail}`]),
  ...(args.recordingControl === 'succeed' ? [] : [`recording-control: ${args.recordingControl}`]),
  ...(args.hours === undefined ? [] : [`hours: ${args.hours}`]),
  ...Object.entries(args.lambdas).map(
    ([arn, answer]) => `lambda ${arn}: ${answer === 'fail' ? 'fail' : JSON.stringify(answer)}`,
  ),
];

/** Runs the call the arguments describe and writes its report to `output`; answers the exit code. */
export const runCall = async (args: CallArguments, output: CliOutput): Promise<number> => {
  let system: LocalRoutingSystem | undefined;
  const running = args.offline ? undefined : connectRunningSystem(runningFileIn(args.data));
  try {
    system = await startLocalRoutingSystem({
      portfolioPath: args.portfolio,
      // A running npm start: its routing table as it is, and its call log for the record.
      ...(running
        ? {
            sharedDynamo: running.dynamo,
            writeRouting: false,
            ...(running.running.routingTableName
              ? { tableName: running.running.routingTableName }
              : {}),
            callLogTableName: running.running.callLogTableName ?? LOCAL_CALL_LOG_TABLE_NAME,
          }
        : {}),
    });
    const call = {
      dialed: args.to,
      caller: args.from,
      at: args.at,
      inQueue: args.inQueue,
      voicemail: args.voicemail,
      ...(args.digits === undefined ? {} : { digits: args.digits }),
    };
    const located = system.locationHours(args.to);
    const result = await system.runCall(call, {
      ...(args.flow === undefined ? {} : { flow: localFlowFromFile(args.flow, system.portfolio) }),
      ringTo: args.ringTo,
      routeCall: args.routeCall,
      queue: args.queue,
      agents: args.agents,
      recordingControl: args.recordingControl,
      // Unset: runCall answers with the portfolio's hours of the dialed number's location.
      ...(args.hours === undefined ? {} : { hours: args.hours }),
      lambdas: args.lambdas,
    });
    const inProject = relative(process.cwd(), args.portfolio);
    const report = {
      call,
      atText: args.atText,
      conditions: conditionsOf(args),
      result,
      standIns: system.standIns,
      hoursSource:
        args.hours !== undefined
          ? `--hours ${args.hours}`
          : located
            ? `the portfolio's hours of ${located.locationId}, ${located.timeZone}`
            : `${args.to} routes to no location: open`,
      source: running
        ? `the routing table of ${system.dynamo.storage}`
        : `${system.entries.length} numbers from ${inProject && !inProject.startsWith('..') ? inProject : args.portfolio} (dynalite at ${system.dynamo.endpoint}, ${system.dynamo.storage})`,
    };
    const contactId = String(result.simulation.contactRecord.ContactId);
    let logged: { contactId: string; url: string } | undefined;
    if (running) {
      // The message's length: the local media stream gives that much audio, as Connect's would.
      await running.callLog.record(
        result.simulation.contactRecord,
        result.simulation.voicemail?.durationSeconds,
      );
      logged = { contactId, url: `${running.running.apiUrl}/calls/${contactId}` };
    }
    output.stdout.write(
      args.json
        ? `${JSON.stringify({ ...callReportJson(report), ...(logged ? { logged } : {}) }, null, 2)}\n`
        : `${formatCallReport(report)}${logged ? `Logged in the running system's call log: GET ${logged.url}\n` : ''}`,
    );
    return 0;
  } catch (error) {
    if (error instanceof FlowSimulationError) {
      // List the problems the message does not already spell out.
      const problems = error.problems.filter((p) => !error.message.includes(p));
      output.stderr.write(
        `call: the flow cannot be simulated: ${error.message}\n${problems.map((p) => `  - ${p}\n`).join('')}`,
      );
      return 1;
    }
    if (error instanceof PortfolioError || error instanceof LocalFlowFileError) {
      output.stderr.write(`call: ${error.message}\n`);
      return 1;
    }
    // Not a problem of the flow or the portfolio: a bug, or the environment. Show where.
    output.stderr.write(
      `call: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  } finally {
    await system?.close();
    await running?.close();
  }
};

import { readFileSync } from 'node:fs';
import type { Portfolio } from '../../lambdas/domain/portfolio.js';
import {
  type FlowDocument,
  findPlaceholders,
  parseFlow,
  substitutePlaceholders,
} from '../flow-language/index.js';
import { LOCAL_RECORDING_CONTROL_ARN, LOCAL_ROUTE_CALL_ARN } from './names.js';

/** The inbound flow as committed, placeholders and all. */
export const INBOUND_FLOW_FILE = new URL('../../contact-flows/inbound-call.json', import.meta.url);

/** The values the local system gives the inbound flow's placeholders. */
export const localPlaceholderValues = (portfolio: Portfolio): Record<string, string> => ({
  RouteCallFunctionArn: LOCAL_ROUTE_CALL_ARN,
  RecordingControlFunctionArn: LOCAL_RECORDING_CONTROL_ARN,
  StaticFallbackNumber: portfolio.defaults.staticFallbackNumber,
});

/** The inbound flow for local runs, as JSON text: the local function ARNs and fallback filled in. */
export const localInboundFlowText = (
  portfolio: Portfolio,
  template: string = readFileSync(INBOUND_FLOW_FILE, 'utf8'),
): string => substitutePlaceholders(template, localPlaceholderValues(portfolio));

/** The inbound flow for local runs, checked against the wire format (throws InvalidFlowError). */
export const localInboundFlow = (portfolio: Portfolio, template?: string): FlowDocument =>
  parseFlow(localInboundFlowText(portfolio, template));

/**
 * Another flow file for a local run (e.g. one exported from the Connect console), not checked:
 * the simulator checks it, and refuses it naming what it cannot run. Placeholders the local system
 * knows (see localPlaceholderValues) are filled in; any other placeholder is an error.
 */
export const localFlowFromFile = (path: string, portfolio: Portfolio): unknown => {
  const text = readFileSync(path, 'utf8');
  const values = localPlaceholderValues(portfolio);
  // Only the values this file uses; a placeholder without one makes substitution throw, naming it.
  const used = Object.fromEntries(
    findPlaceholders(text).flatMap((name) =>
      Object.hasOwn(values, name) ? [[name, values[name] as string]] : [],
    ),
  );
  const substituted = substitutePlaceholders(text, used);
  try {
    return JSON.parse(substituted) as unknown;
  } catch (error) {
    throw new Error(`${path} is not JSON: ${(error as Error).message}`);
  }
};

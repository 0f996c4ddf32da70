import { readFileSync } from 'node:fs';
import { queueFlowPlan } from '../lambdas/domain/portfolio/queue-flow.js';
import type { Portfolio } from '../lambdas/domain/portfolio/schema.js';
import {
  type FlowDocument,
  findPlaceholders,
  substitutePlaceholders,
} from '../lambdas/flow/language/index.js';
import {
  type FlowPortfolio,
  PREVIEW_AGENT_WHISPER_FLOW_ARN,
  PREVIEW_CUSTOMER_QUEUE_FLOW_ARN,
  previewInboundFlow,
  previewInboundFlowText,
  previewPlaceholderValues,
} from '../lambdas/flow/preview-names.js';

/** The inbound flow as committed, placeholders and all. */
export const INBOUND_FLOW_FILE = new URL('../contact-flows/inbound-call.json', import.meta.url);

const committedFlow = (): string => readFileSync(INBOUND_FLOW_FILE, 'utf8');

const hookFlowText = (file: string, values: Readonly<Record<string, string>>): unknown =>
  JSON.parse(
    substitutePlaceholders(
      readFileSync(new URL(`../contact-flows/${file}`, import.meta.url), 'utf8'),
      values,
    ),
  );

/**
 * The flows the inbound flow's event hooks name, by the ARNs the local system gives them, filled in
 * as the stack fills them in (the queue flow's timing from the portfolio's queues).
 */
export const localHookFlows = (
  portfolio: Pick<Portfolio, 'queues' | 'defaults'>,
): Record<string, unknown> => {
  const plan = queueFlowPlan(portfolio);
  return {
    [PREVIEW_CUSTOMER_QUEUE_FLOW_ARN]: hookFlowText('customer-queue.json', {
      QueueOfferAfterSeconds: String(plan.offerAfterSeconds),
      QueueOfferRounds: String(plan.offerRounds),
    }),
    [PREVIEW_AGENT_WHISPER_FLOW_ARN]: hookFlowText('agent-whisper.json', {}),
  };
};

/** The inbound flow for local runs, as JSON text: the local function ARNs and fallback filled in. */
export const localInboundFlowText = (
  portfolio: FlowPortfolio,
  template: string = committedFlow(),
): string => previewInboundFlowText(portfolio, template);

/** The inbound flow for local runs, checked against the wire format (throws InvalidFlowError). */
export const localInboundFlow = (
  portfolio: FlowPortfolio,
  template: string = committedFlow(),
): FlowDocument => previewInboundFlow(portfolio, template);

/** A flow file that cannot be read, parsed as JSON, or filled in; the message names the file. */
export class LocalFlowFileError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LocalFlowFileError';
  }
}

/**
 * Another flow file for a local run (e.g. one exported from the Connect console), not checked:
 * the simulator checks it, and refuses it naming what it cannot run. Placeholders the local system
 * knows (see previewPlaceholderValues) are filled in; any other placeholder is an error.
 */
export const localFlowFromFile = (path: string, portfolio: Portfolio): unknown => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new LocalFlowFileError(`${path} cannot be read: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const values = previewPlaceholderValues(portfolio);
  // Only the values this file uses; a placeholder without one makes substitution throw, naming it.
  const used = Object.fromEntries(
    findPlaceholders(text).flatMap((name) =>
      Object.hasOwn(values, name) ? [[name, values[name] as string]] : [],
    ),
  );
  let substituted: string;
  try {
    substituted = substitutePlaceholders(text, used);
  } catch (error) {
    throw new LocalFlowFileError(`${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return JSON.parse(substituted) as unknown;
  } catch (error) {
    throw new LocalFlowFileError(`${path} is not JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
};

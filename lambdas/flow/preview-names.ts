import type { Portfolio } from '../domain/portfolio/schema.js';
import { type FlowDocument, parseFlow, substitutePlaceholders } from './language/index.js';

/**
 * The made-up names the route preview gives what a deploy would create: an account and instance,
 * and the two functions the inbound flow invokes. The local system runs its calls under the same
 * names (local/names.ts), so a preview and a local call run the same flow.
 */

export const PREVIEW_REGION = 'us-east-1';
export const PREVIEW_ACCOUNT = '000000000000';
/** The same instance the simulator assumes when a call names none. */
export const PREVIEW_INSTANCE_ID = '00000000-0000-4000-8000-000000000000';
export const PREVIEW_INSTANCE_ARN = `arn:aws:connect:${PREVIEW_REGION}:${PREVIEW_ACCOUNT}:instance/${PREVIEW_INSTANCE_ID}`;
export const PREVIEW_ROUTE_CALL_ARN = `arn:aws:lambda:${PREVIEW_REGION}:${PREVIEW_ACCOUNT}:function:route-call`;
export const PREVIEW_RECORDING_CONTROL_ARN = `arn:aws:lambda:${PREVIEW_REGION}:${PREVIEW_ACCOUNT}:function:recording-control`;
/** The customer queue and agent whisper flows the inbound flow sets as event hooks. */
export const PREVIEW_CUSTOMER_QUEUE_FLOW_ARN = `${PREVIEW_INSTANCE_ARN}/contact-flow/customer-queue`;
export const PREVIEW_AGENT_WHISPER_FLOW_ARN = `${PREVIEW_INSTANCE_ARN}/contact-flow/agent-whisper`;

/** What the inbound flow needs of a portfolio: its static fallback. */
export type FlowPortfolio = {
  readonly defaults: Pick<Portfolio['defaults'], 'staticFallbackNumber'>;
};

/** The values the preview (and the local system) give the inbound flow's placeholders. */
export const previewPlaceholderValues = (portfolio: FlowPortfolio): Record<string, string> => ({
  RouteCallFunctionArn: PREVIEW_ROUTE_CALL_ARN,
  RecordingControlFunctionArn: PREVIEW_RECORDING_CONTROL_ARN,
  StaticFallbackNumber: portfolio.defaults.staticFallbackNumber,
  CustomerQueueFlowArn: PREVIEW_CUSTOMER_QUEUE_FLOW_ARN,
  AgentWhisperFlowArn: PREVIEW_AGENT_WHISPER_FLOW_ARN,
});

/** The inbound flow's JSON text, its function ARNs and static fallback filled in. */
export const previewInboundFlowText = (portfolio: FlowPortfolio, template: string): string =>
  substitutePlaceholders(template, previewPlaceholderValues(portfolio));

/** The inbound flow, filled in and checked against the wire format (throws InvalidFlowError). */
export const previewInboundFlow = (portfolio: FlowPortfolio, template: string): FlowDocument =>
  parseFlow(previewInboundFlowText(portfolio, template));

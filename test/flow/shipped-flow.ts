import { readFileSync } from 'node:fs';
import {
  type FlowDocument,
  parseFlow,
  substitutePlaceholders,
} from '../../lambdas/flow/language/index.js';

/** The inbound flow exactly as committed, placeholders and all. */
export const INBOUND_FLOW_TEMPLATE = readFileSync(
  new URL('../../contact-flows/inbound-call.json', import.meta.url),
  'utf8',
);

/** What the CDK construct would substitute, with plain values instead of tokens. */
export const SAMPLE_PLACEHOLDER_VALUES = {
  RouteCallFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:route-call',
  RecordingControlFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:recording-control',
  StaticFallbackNumber: '+15125550199',
  CustomerQueueFlowArn:
    'arn:aws:connect:us-east-1:123456789012:instance/00000000-0000-4000-8000-000000000000/contact-flow/customer-queue',
  AgentWhisperFlowArn:
    'arn:aws:connect:us-east-1:123456789012:instance/00000000-0000-4000-8000-000000000000/contact-flow/agent-whisper',
};

/** The flow as deployed, as JSON text. */
export const inboundFlowText = (): string =>
  substitutePlaceholders(INBOUND_FLOW_TEMPLATE, SAMPLE_PLACEHOLDER_VALUES);

/** The flow as deployed, typed; throws if it breaks any rule. */
export const inboundFlow = (): FlowDocument => parseFlow(inboundFlowText());

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as connect from 'aws-cdk-lib/aws-connect';
import { Construct } from 'constructs';
import {
  type FlowType,
  substitutePlaceholders,
  validateFlow,
} from '../../lambdas/flow/language/index.js';

export interface ContactFlowProps {
  readonly instanceArn: string;
  /** The flow's file in `contact-flows/`, e.g. `inbound-call.json`. */
  readonly file: string;
  readonly name: string;
  readonly description: string;
  /** A value for every `${Name}` placeholder of the file: ARNs (tokens) and numbers. */
  readonly placeholders: Readonly<Record<string, string>>;
  /** CreateContactFlow's flow type. @default 'CONTACT_FLOW' */
  readonly type?: FlowType;
}

/**
 * A contact flow published from its Flow Language file. Placeholders are replaced with their values
 * (CDK tokens resolve at deploy), and the result must pass the wire-format rules at synth: Connect
 * validates a published flow in full, and a bad one fails the whole stack at deploy.
 */
export class ContactFlow extends Construct {
  readonly flow: connect.CfnContactFlow;
  /** The flow as deployed, before token resolution: what tests and the simulator read. */
  readonly content: string;

  constructor(scope: Construct, id: string, props: ContactFlowProps) {
    super(scope, id);
    const path = fileURLToPath(new URL(`../../contact-flows/${props.file}`, import.meta.url));
    const flow = JSON.parse(substitutePlaceholders(readFileSync(path, 'utf8'), props.placeholders));
    const type = props.type ?? 'CONTACT_FLOW';
    const problems = validateFlow(flow, { flowType: type });
    if (problems.length > 0) {
      throw new Error(
        `contact-flows/${props.file} breaks the Flow Language rules Connect enforces:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      );
    }
    // Compact: Connect counts the content against a 256,000-character limit.
    this.content = JSON.stringify(flow);
    this.flow = new connect.CfnContactFlow(this, 'Flow', {
      instanceArn: props.instanceArn,
      name: props.name,
      description: props.description,
      type,
      content: this.content,
    });
  }
}

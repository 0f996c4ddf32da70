/**
 * What the project's custom-resource onEvent handlers (aws-cdk-lib/custom-resources `Provider`)
 * share: their answer to CloudFormation, and the pause they wait between retries.
 */

/** The onEvent answer: the physical id, and the attributes `Fn::GetAtt` can read. */
export interface CustomResourceResult {
  PhysicalResourceId: string;
  Data?: Record<string, string>;
}

/** A real pause; handlers take `sleep` as a dependency so tests can pass one that returns at once. */
export const realSleep = (ms: number): Promise<void> =>
  new Promise<void>((resolve) => setTimeout(resolve, ms));

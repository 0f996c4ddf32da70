/**
 * What CloudFormation limits about a synthesized stack, measured from its template: the template's
 * size (CloudFormation refuses a template over 1,000,000 bytes), its outputs (at most 200) and the
 * size of each custom resource's properties (a provider is invoked asynchronously, with a 1 MB
 * payload that holds the new and, on update, the old properties). Shared by the scale test and
 * the synth benchmark.
 */

/** The limits this project holds itself to, with room under CloudFormation's own. */
export const TEMPLATE_LIMITS = {
  /** CloudFormation's limit is 1,000,000 bytes (template in S3). */
  templateBytes: 800_000,
  /** Twice this (old and new on update) stays far under the 1 MB asynchronous payload. */
  customResourcePropertiesBytes: 100_000,
  /** CloudFormation's limit of outputs per stack. */
  outputs: 200,
} as const;

export interface CustomResourceFigure {
  readonly logicalId: string;
  readonly type: string;
  /** JSON bytes of the properties as synthesized (tokens unresolved: about what is sent). */
  readonly propertiesBytes: number;
}

export interface TemplateFigures {
  readonly templateBytes: number;
  readonly resources: number;
  readonly outputs: number;
  readonly customResources: readonly CustomResourceFigure[];
}

interface TemplateShape {
  readonly Resources?: Record<string, { readonly Type?: string; readonly Properties?: unknown }>;
  readonly Outputs?: Record<string, unknown>;
}

const isCustomResource = (type: string | undefined): type is string =>
  type !== undefined &&
  (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource');

/**
 * Figures of one template. `templateBytes` counts the template as the CDK writes it to the cloud
 * assembly (one-space indentation), which is the file that is uploaded.
 */
export const templateFigures = (template: TemplateShape): TemplateFigures => {
  const resources = Object.entries(template.Resources ?? {});
  return {
    templateBytes: Buffer.byteLength(JSON.stringify(template, undefined, 1)),
    resources: resources.length,
    outputs: Object.keys(template.Outputs ?? {}).length,
    customResources: resources.flatMap(([logicalId, resource]) =>
      isCustomResource(resource.Type)
        ? [
            {
              logicalId,
              type: resource.Type,
              propertiesBytes: Buffer.byteLength(JSON.stringify(resource.Properties ?? {})),
            },
          ]
        : [],
    ),
  };
};

/** What in these figures breaks {@link TEMPLATE_LIMITS}, one line each; empty when nothing does. */
export const limitsBroken = (stackName: string, figures: TemplateFigures): string[] => [
  ...(figures.templateBytes > TEMPLATE_LIMITS.templateBytes
    ? [
        `${stackName}: template of ${figures.templateBytes} bytes, over ${TEMPLATE_LIMITS.templateBytes}`,
      ]
    : []),
  ...(figures.outputs > TEMPLATE_LIMITS.outputs
    ? [`${stackName}: ${figures.outputs} outputs, over ${TEMPLATE_LIMITS.outputs}`]
    : []),
  ...figures.customResources
    .filter((c) => c.propertiesBytes > TEMPLATE_LIMITS.customResourcePropertiesBytes)
    .map(
      (c) =>
        `${stackName}: ${c.type} ${c.logicalId} has properties of ${c.propertiesBytes} bytes, over ${TEMPLATE_LIMITS.customResourcePropertiesBytes}`,
    ),
];

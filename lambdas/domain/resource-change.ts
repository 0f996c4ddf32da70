/**
 * What a deploy asks of a provisioning step (a custom resource): create the desired state, move
 * from the old state to the new one, or delete it. The properties come from the stack and nothing
 * in them can be trusted to have any shape; CloudFormation turns every scalar into a string, so
 * structured properties travel as JSON.
 */

/** The properties as the stack sends them. */
export type ResourceProperties = Readonly<Record<string, unknown>>;

export type ResourceChange =
  | { readonly requestType: 'Create'; readonly properties: ResourceProperties }
  | {
      readonly requestType: 'Update';
      /** The id the resource has now; a different one in the answer replaces it. */
      readonly physicalResourceId: string;
      readonly properties: ResourceProperties;
      readonly oldProperties: ResourceProperties;
    }
  | {
      readonly requestType: 'Delete';
      readonly physicalResourceId: string;
      readonly properties: ResourceProperties;
    };

/** A property that carries JSON: its parsed value, or the problem (naming the property). */
export const parseJsonProperty = (
  value: unknown,
  property: string,
): { ok: true; value: unknown } | string => {
  if (typeof value !== 'string') return `${property} must be a JSON string, got ${typeof value}`;
  try {
    return { ok: true, value: JSON.parse(value) };
  } catch (error) {
    return `${property} is not valid JSON (${(error as Error).message})`;
  }
};

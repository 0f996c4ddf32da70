import { ResourceNotFoundException } from '@aws-sdk/client-dynamodb';

/** DynamoDB's answer when the named table does not exist (wrong name, or not deployed yet). */
export const isMissingTable = (error: unknown): boolean =>
  error instanceof ResourceNotFoundException;

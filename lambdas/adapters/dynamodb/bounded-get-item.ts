import {
  type DynamoDBClient,
  GetItemCommand,
  type GetItemCommandInput,
  type GetItemCommandOutput,
} from '@aws-sdk/client-dynamodb';

/** A read that did not settle within its budget. */
export class BudgetExceededError extends Error {
  constructor(what: string, budgetMs: number) {
    super(`${what} exceeded its budget of ${budgetMs} ms`);
    this.name = 'BudgetExceededError';
  }
}

/**
 * One GetItem that settles within `budgetMs`, retries included, whatever the SDK or the network
 * does: the call path of a contact flow cannot wait on a hung socket.
 */
export const getItemWithin = async (
  client: DynamoDBClient,
  input: GetItemCommandInput,
  budgetMs: number,
  what: string,
): Promise<GetItemCommandOutput> => {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Abort frees the socket and stops retries; the rejection answers even if the SDK ignores it.
      controller.abort();
      reject(new BudgetExceededError(what, budgetMs));
    }, budgetMs);
  });
  try {
    return await Promise.race([
      client.send(new GetItemCommand(input), { abortSignal: controller.signal }),
      expired,
    ]);
  } finally {
    clearTimeout(timer);
  }
};

/**
 * Throttling, 5xx, timeouts and network errors: AWS calls worth retrying later. Also this
 * project's own "lost too many races" errors (rollup settles, first-time checks): a retry wins.
 */
export const isTransient = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  const e = error as Error & {
    $retryable?: unknown;
    $fault?: string;
    $metadata?: { httpStatusCode?: number };
    code?: string;
  };
  if (e.$retryable || e.$fault === 'server') return true;
  if ((e.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  return (
    /Throttl|ProvisionedThroughputExceeded|RequestLimitExceeded|InternalServerError|ServiceUnavailable|SlowDown|Timeout|TimedOut|ContentionError/i.test(
      e.name,
    ) || ['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'EPIPE'].includes(e.code ?? '')
  );
};

/** DynamoDB refuses the item itself (too large, a bad attribute): retrying cannot help. */
export const isRefusedItem = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ValidationException';

/** A record's own value at `key` (never one inherited, such as `constructor`). */
export const own = <T>(
  record: Readonly<Record<string, T>>,
  key: string | undefined,
): T | undefined => (key !== undefined && Object.hasOwn(record, key) ? record[key] : undefined);

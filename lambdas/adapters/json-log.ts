export type LogLevel = 'info' | 'warn' | 'error';
export type Log = (level: LogLevel, fields: Record<string, unknown>) => void;

/** One JSON line per event; callers' numbers are always masked by the code that logs them. */
export const jsonLog: Log = (level, fields) => {
  const line = JSON.stringify({ level, ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
};

/**
 * Reads a timestamp column. PostgreSQL returns a Date, SQLite the epoch
 * milliseconds that better-sqlite3 stored for the bound Date.
 */
export function readDate(value: Date | number | string): Date {
  return value instanceof Date ? value : new Date(value);
}

export function readOptionalDate(
  value: Date | number | string | null | undefined,
): Date | undefined {
  return value === null || value === undefined ? undefined : readDate(value);
}

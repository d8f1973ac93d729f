import { ApiToken } from '@nholuongut/backstage-plugin-api-tokens-common';

/** The columns of the CSV export: metadata only, never a secret or its hint. */
export const CSV_COLUMNS = [
  'id',
  'name',
  'kind',
  'state',
  'ownerRef',
  'createdBy',
  'createdAt',
  'expiresAt',
  'lastUsedAt',
  'revokedAt',
  'revokedBy',
] as const satisfies ReadonlyArray<keyof ApiToken>;

/**
 * A CSV field: quoted when it holds a quote, comma or line break; and a
 * field that a spreadsheet would take for a formula (`=`, `+`, `-`, `@`,
 * tab, carriage return at the start: token names are chosen by users) gets
 * a leading apostrophe.
 */
function csvField(value: string | null): string {
  if (value === null) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The tokens as CSV (RFC 4180, CRLF line ends), with a header row. */
export function tokensToCsv(tokens: ApiToken[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const token of tokens) {
    lines.push(CSV_COLUMNS.map(column => csvField(token[column])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

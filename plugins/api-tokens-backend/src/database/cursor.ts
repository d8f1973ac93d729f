import { InputError } from '@backstage/errors';
import { Knex } from 'knex';

/**
 * A keyset-paging position: the sort key of the last row of a page. Opaque
 * to clients.
 */
export interface PagePosition {
  time: number;
  id: string;
}

export function encodeCursor(position: PagePosition): string {
  return Buffer.from(`${position.time}:${position.id}`, 'utf8').toString(
    'base64url',
  );
}

export function decodeCursor(cursor: string): PagePosition {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^(\d{1,15}):([0-9a-f-]{36})$/.exec(decoded);
  if (!match) {
    throw new InputError('cursor is not one this API returned');
  }
  return { time: Number(match[1]), id: match[2] };
}

/**
 * Keyset paging, newest first by `(timeColumn, id)`: orders and limits the
 * query (one row more than a page, to tell whether another follows) and,
 * given a cursor, starts after its position. The position is a row value, so
 * the index scan starts there instead of filtering the earlier pages again.
 */
export function pageNewestFirst(
  query: Knex.QueryBuilder,
  options: { timeColumn: string; limit: number; cursor?: string },
): void {
  const { timeColumn, limit, cursor } = options;
  query
    .orderBy([
      { column: timeColumn, order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(limit + 1);
  if (cursor) {
    const after = decodeCursor(cursor);
    query.whereRaw('(??, ??) < (?, ?)', [
      timeColumn,
      'id',
      new Date(after.time),
      after.id,
    ]);
  }
}

/** The page a {@link pageNewestFirst} query read, with the next cursor. */
export function toPage<TRow, TItem extends { id: string }>(
  rows: TRow[],
  options: {
    limit: number;
    toItem: (row: TRow) => TItem;
    timeOf: (item: TItem) => Date;
  },
): { items: TItem[]; nextCursor?: string } {
  const items = rows.slice(0, options.limit).map(options.toItem);
  const last = items[items.length - 1];
  return rows.length > options.limit && last
    ? {
        items,
        nextCursor: encodeCursor({
          time: options.timeOf(last).getTime(),
          id: last.id,
        }),
      }
    : { items };
}

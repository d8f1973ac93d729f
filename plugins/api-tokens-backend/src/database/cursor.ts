import { InputError } from '@backstage/errors';
import { Knex } from 'knex';
import { readDate } from './dates';

/**
 * A keyset-paging position: the sort key of the last row of a page. Opaque
 * to clients.
 *
 * @alpha
 */
export interface PagePosition {
  time: number;
  id: string;
}

/**
 * The opaque cursor of a page position, as `nextCursor` returns it.
 *
 * @alpha
 */
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
 * Reads one page of `query` newest first by `(timeColumn, id)`, keyset
 * paged: given a cursor, the page starts after its position. The position
 * is a row value, so the index scan starts there instead of filtering the
 * earlier pages again. One row more than a page is read, to tell whether
 * another follows; the next cursor is the sort key of the page's last row.
 */
export async function readPageNewestFirst<
  TTimeColumn extends string,
  TRow extends { id: string } & Record<TTimeColumn, Date | number>,
  TItem,
>(
  query: Knex.QueryBuilder,
  options: {
    timeColumn: TTimeColumn;
    limit: number;
    cursor?: string;
    toItem: (row: TRow) => TItem;
  },
): Promise<{ items: TItem[]; nextCursor?: string }> {
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
  const rows: TRow[] = await query;
  const page = rows.slice(0, limit);
  const items = page.map(options.toItem);
  const last = page[page.length - 1];
  return rows.length > limit && last
    ? {
        items,
        nextCursor: encodeCursor({
          time: readDate(last[timeColumn]).getTime(),
          id: last.id,
        }),
      }
    : { items };
}

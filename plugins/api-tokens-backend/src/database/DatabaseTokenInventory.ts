import { Knex } from 'knex';
import { ApiTokenList } from './ApiTokensStore';
import {
  ApiTokenRow,
  METADATA_COLUMNS,
  toStoredApiToken,
} from './DatabaseApiTokensStore';
import { readDate } from './dates';
import {
  decodeInventoryCursor,
  encodeInventoryCursor,
  InventoryPosition,
} from './inventoryCursor';
import {
  InventoryQuery,
  InventorySortKey,
  InventorySummary,
  TokenInventory,
} from './TokenInventory';

const TABLE = 'api_tokens';

type MetadataRow = Omit<ApiTokenRow, 'digest'>;

/** The column of each sort; each has an index on (column, id). */
const SORT_COLUMNS: Record<InventorySortKey, keyof MetadataRow> = {
  createdAt: 'created_at',
  expiresAt: 'expires_at',
  lastUsedAt: 'last_used_at',
  name: 'name',
};

/** `%` and `_` match themselves in a name search. */
function likeContaining(text: string): string {
  return `%${text
    .toLocaleLowerCase('en-US')
    .replace(/[\\%_]/g, c => `\\${c}`)}%`;
}

/** The sort key of a row, as a cursor keeps it. */
function sortValue(row: MetadataRow, sort: InventorySortKey) {
  const value = row[SORT_COLUMNS[sort]];
  if (sort === 'name') {
    return value as string;
  }
  return value === null ? null : readDate(value as Date | number).getTime();
}

/**
 * The Knex implementation of {@link TokenInventory}, for SQLite and
 * PostgreSQL. Filters are plain predicates; the sort walks the index of its
 * column from the page position (see the inventory migration), so a filter
 * costs the rows it skips, never an offset or a sort of the table.
 *
 * @alpha
 */
export class DatabaseTokenInventory implements TokenInventory {
  constructor(private readonly db: Knex) {}

  async listInventory(query: InventoryQuery): Promise<ApiTokenList> {
    const { sort, order, limit } = query;
    const column = SORT_COLUMNS[sort];
    // Scope previews live for a moment and are never listed.
    const select = this.db<MetadataRow>(TABLE)
      .select(...METADATA_COLUMNS)
      .whereNot('kind', 'preview');
    this.applyFilters(select, query);
    if (query.cursor) {
      this.startAfter(
        select,
        column,
        decodeInventoryCursor(query.cursor, { sort, order }),
      );
    }
    if (sort === 'lastUsedAt') {
      // Never used sorts as the oldest use, on both databases.
      select.orderByRaw(
        order === 'asc'
          ? '?? ASC NULLS FIRST, ?? ASC'
          : '?? DESC NULLS LAST, ?? DESC',
        [column, 'id'],
      );
    } else {
      select.orderBy([
        { column, order },
        { column: 'id', order },
      ]);
    }
    const rows: MetadataRow[] = await select.limit(limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const items = page.map(toStoredApiToken);
    return rows.length > limit && last
      ? {
          items,
          nextCursor: encodeInventoryCursor({
            sort,
            order,
            value: sortValue(last, sort),
            id: last.id,
          }),
        }
      : { items };
  }

  async summarizeInventory(options: {
    now: Date;
    expiringBefore: Date;
    revokedSince: Date;
  }): Promise<InventorySummary> {
    const { now, expiringBefore, revokedSince } = options;
    const live = 'revoked_at IS NULL AND expires_at > ?';
    const [row] = await this.db(TABLE)
      .select(
        this.db.raw(`SUM(CASE WHEN ${live} THEN 1 ELSE 0 END) AS active`, [
          now,
        ]),
        this.db.raw(
          `SUM(CASE WHEN ${live} AND expires_at <= ? THEN 1 ELSE 0 END) AS expiring_soon`,
          [now, expiringBefore],
        ),
        this.db.raw(
          `SUM(CASE WHEN ${live} AND last_used_at IS NULL THEN 1 ELSE 0 END) AS never_used`,
          [now],
        ),
        this.db.raw(
          'SUM(CASE WHEN revoked_at >= ? THEN 1 ELSE 0 END) AS recently_revoked',
          [revokedSince],
        ),
      )
      .whereNot('kind', 'preview');
    // PostgreSQL sums to a bigint, which node-postgres returns as a string;
    // over no rows, SUM is null.
    return {
      active: Number(row?.active ?? 0),
      expiringSoon: Number(row?.expiring_soon ?? 0),
      neverUsed: Number(row?.never_used ?? 0),
      recentlyRevoked: Number(row?.recently_revoked ?? 0),
    };
  }

  private applyFilters(select: Knex.QueryBuilder, query: InventoryQuery) {
    const { now } = query;
    const states = new Set(query.states ?? []);
    if (states.size > 0 && states.size < 3) {
      select.andWhere(any => {
        if (states.has('active')) {
          any.orWhere(q =>
            q.whereNull('revoked_at').andWhere('expires_at', '>', now),
          );
        }
        if (states.has('expired')) {
          any.orWhere(q =>
            q.whereNull('revoked_at').andWhere('expires_at', '<=', now),
          );
        }
        if (states.has('revoked')) {
          any.orWhereNotNull('revoked_at');
        }
      });
    }
    if (query.kind) {
      select.andWhere('kind', query.kind);
    }
    if (query.ownerRef) {
      select.andWhere('owner_ref', query.ownerRef);
    }
    if (query.createdBy) {
      select.andWhere('created_by', query.createdBy);
    }
    if (query.nameContains) {
      select.andWhereRaw(`LOWER(??) LIKE ? ESCAPE '\\'`, [
        'name',
        likeContaining(query.nameContains),
      ]);
    }
    if (query.expiresBefore) {
      select.andWhere('expires_at', '<', query.expiresBefore);
    }
    if (query.expiresAfter) {
      select.andWhere('expires_at', '>', query.expiresAfter);
    }
    if (query.unusedSince) {
      const since = query.unusedSince;
      select.andWhere(q =>
        q.whereNull('last_used_at').orWhere('last_used_at', '<', since),
      );
    }
    if (query.neverUsed) {
      select.andWhere(q => q.whereNull('last_used_at'));
    }
    if (query.revokedSince) {
      select.andWhere('revoked_at', '>=', query.revokedSince);
    }
  }

  /**
   * Keeps the rows after a page position in the page's order: a row-value
   * comparison, which the index scan starts from. For `last_used_at`,
   * nulls (never used) come first ascending and last descending.
   */
  private startAfter(
    select: Knex.QueryBuilder,
    column: string,
    position: InventoryPosition,
  ) {
    const { order, id } = position;
    const after = order === 'asc' ? '>' : '<';
    if (position.value === null) {
      select.andWhere(q => {
        q.where(nulls => nulls.whereNull(column).andWhere('id', after, id));
        if (order === 'asc') {
          q.orWhereNotNull(column);
        }
      });
      return;
    }
    const value =
      position.sort === 'name'
        ? position.value
        : new Date(position.value as number);
    select.andWhere(q => {
      q.whereRaw(`(??, ??) ${after} (?, ?)`, [column, 'id', value, id]);
      if (position.sort === 'lastUsedAt' && order === 'desc') {
        q.orWhereNull(column);
      }
    });
  }
}

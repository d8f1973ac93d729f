import { Knex } from 'knex';

/**
 * Set-based statements take their lists (the ids a statement just raised,
 * the email recipients) as one bound parameter, however long the list:
 * a PostgreSQL array, or a JSON array that SQLite's `json_each` reads. No
 * statement text grows with the list, and no list meets SQLite's limit on
 * bound parameters.
 */
function isPostgres(db: Knex): boolean {
  return db.client.dialect === 'postgresql';
}

/** `column IN (values)`, the values bound as one parameter. */
export function inBoundList(
  db: Knex,
  column: string,
  values: string[],
): Knex.Raw {
  return isPostgres(db)
    ? db.raw('?? = ANY(CAST(? AS text[]))', [column, values])
    : db.raw('?? IN (SELECT value FROM json_each(?))', [
        column,
        JSON.stringify(values),
      ]);
}

/**
 * A table expression of one text column `value`, a row per element of
 * `values`, to join with; `alias` names it.
 */
export function boundListTable(
  db: Knex,
  values: string[],
  alias: string,
): Knex.Raw {
  return isPostgres(db)
    ? db.raw(`unnest(CAST(? AS text[])) AS ${alias}(value)`, [values])
    : db.raw(`json_each(?) AS ${alias}`, [JSON.stringify(values)]);
}

/**
 * A new random UUID (version 4) per row, computed by the database: a row
 * raised by `INSERT … SELECT` never passes through JavaScript.
 */
export function newUuidSql(db: Knex): string {
  return isPostgres(db)
    ? 'CAST(gen_random_uuid() AS text)'
    : `lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))`;
}

/** The rows of a raw statement, from either driver. */
export function rawRows<T>(result: T[] | { rows: T[] }): T[] {
  return Array.isArray(result) ? result : result.rows;
}

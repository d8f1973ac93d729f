import { Knex } from 'knex';

/** The tables of a test database, SQLite or PostgreSQL, sorted by name. */
export async function databaseTables(knex: Knex): Promise<string[]> {
  const rows: Array<{ name: string }> =
    knex.client.config.client === 'pg'
      ? await knex('information_schema.tables')
          .select('table_name as name')
          .where('table_schema', knex.raw('current_schema()'))
      : await knex('sqlite_master').select('name').where('type', 'table');
  return rows.map(row => row.name).sort();
}

/**
 * Every row of every table, as text that compares equal when the contents
 * are equal (rows sorted, whatever order the database returns them in).
 */
export async function databaseDump(knex: Knex): Promise<string> {
  const dump: Record<string, string[]> = {};
  for (const table of await databaseTables(knex)) {
    const rows = await knex(table).select();
    dump[table] = rows.map(row => JSON.stringify(row)).sort();
  }
  return JSON.stringify(dump);
}

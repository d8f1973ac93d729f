import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import fs from 'node:fs';
import { MIGRATIONS_DIRECTORY } from '../database/migrations';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

/** The migration files, in the order knex runs them. */
const migrationFiles = fs
  .readdirSync(MIGRATIONS_DIRECTORY)
  .filter(file => /\.(js|ts)$/.test(file) && !file.endsWith('.d.ts'))
  .sort();

/** Our tables, leaving out knex's own bookkeeping. */
async function listTables(knex: Knex): Promise<string[]> {
  const rows: Array<{ name: string }> =
    knex.client.config.client === 'pg'
      ? await knex('information_schema.tables')
          .select({ name: 'table_name' })
          .whereRaw('table_schema = current_schema()')
      : await knex('sqlite_master')
          .select('name')
          .where('type', 'table')
          .andWhereNot('name', 'like', 'sqlite_%');
  return rows
    .map(row => row.name)
    .filter(name => !name.startsWith('knex_'))
    .sort();
}

/**
 * A comparable description of the schema: every table with its columns
 * (name, type, nullability) and every index name.
 */
async function describeSchema(knex: Knex): Promise<string[]> {
  const lines: string[] = [];
  const tables = await listTables(knex);
  for (const table of tables) {
    lines.push(`table ${table}`);
    if (knex.client.config.client === 'pg') {
      const columns = await knex('information_schema.columns')
        .select('column_name', 'data_type', 'is_nullable')
        .whereRaw('table_schema = current_schema()')
        .andWhere('table_name', table);
      for (const c of columns) {
        lines.push(
          `column ${table}.${c.column_name} ${c.data_type} ${c.is_nullable}`,
        );
      }
      const indexes = await knex('pg_indexes')
        .select('indexname', 'indexdef')
        .whereRaw('schemaname = current_schema()')
        .andWhere('tablename', table);
      for (const i of indexes) {
        lines.push(`index ${table}.${i.indexname}: ${i.indexdef}`);
      }
    } else {
      const columns = await knex.raw(`PRAGMA table_info(??)`, [table]);
      for (const c of columns) {
        lines.push(`column ${table}.${c.name} ${c.type} ${c.notnull}`);
      }
      const indexes = await knex('sqlite_master')
        .select('name', 'sql')
        .where({ type: 'index', tbl_name: table });
      for (const i of indexes) {
        // Automatic indexes (of keys) have no SQL of their own.
        lines.push(`index ${table}.${i.name}: ${i.sql ?? 'automatic'}`);
      }
    }
  }
  return lines.sort();
}

describe('migrations', () => {
  it('has migration files', () => {
    expect(migrationFiles.length).toBeGreaterThan(0);
    expect(migrationFiles[0]).toBe('20261128000000_tokens.js');
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
    });

    it('runs every migration up, down and up again, one at a time', async () => {
      const directory = MIGRATIONS_DIRECTORY;
      const schemas = [await describeSchema(knex)];
      expect(schemas[0]).toEqual([]);

      for (const file of migrationFiles) {
        const before = schemas[schemas.length - 1];
        const tablesBefore = await listTables(knex);

        const [, upLog] = await knex.migrate.up({ directory });
        expect(upLog).toEqual([file]);
        const after = await describeSchema(knex);
        const created = (await listTables(knex)).filter(
          table => !tablesBefore.includes(table),
        );

        const [, downLog] = await knex.migrate.down({ directory });
        expect(downLog).toEqual([file]);
        expect(await describeSchema(knex)).toEqual(before);
        for (const table of created) {
          await expect(knex.schema.hasTable(table)).resolves.toBe(false);
        }

        const [, reUpLog] = await knex.migrate.up({ directory });
        expect(reUpLog).toEqual([file]);
        expect(await describeSchema(knex)).toEqual(after);
        for (const table of created) {
          await expect(knex.schema.hasTable(table)).resolves.toBe(true);
        }
        schemas.push(after);
      }

      // The first migration creates the token table.
      expect(schemas[1]).toContain('table api_tokens');
      expect(schemas[1]).toContainEqual(
        expect.stringMatching(/^column api_tokens\.digest /),
      );
      expect(schemas[1]).toContainEqual(
        expect.stringMatching(/^index api_tokens\.api_tokens_owner_idx: /),
      );
      // The expiry scan's index holds what a fault copies and its notice
      // quotes (PostgreSQL has INCLUDE; SQLite has the partial index alone).
      expect(schemas[schemas.length - 1]).toContainEqual(
        expect.stringMatching(
          knex.client.config.client === 'pg'
            ? /^index api_tokens\.api_tokens_expiry_scan_idx: .*\(expires_at, id\) INCLUDE \(name, owner_ref, last_used_at\) WHERE/
            : /^index api_tokens\.api_tokens_expiry_scan_idx: .*\(expires_at, id\)\s+WHERE kind = 'permanent'/,
        ),
      );

      // Down, one at a time, restores each earlier schema.
      for (let i = migrationFiles.length - 1; i >= 0; i--) {
        const [, downLog] = await knex.migrate.down({ directory });
        expect(downLog).toEqual([migrationFiles[i]]);
        expect(await describeSchema(knex)).toEqual(schemas[i]);
      }
      expect(await listTables(knex)).toEqual([]);

      // And everything comes back at once.
      await knex.migrate.latest({ directory });
      expect(await describeSchema(knex)).toEqual(schemas[schemas.length - 1]);
      const [completed, pending] = await knex.migrate.list({ directory });
      expect(completed.map((m: { name: string }) => m.name)).toEqual(
        migrationFiles,
      );
      expect(pending).toEqual([]);
    });

    it('keeps tokens usable after the latest migration', async () => {
      await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
      const now = new Date();
      await knex('api_tokens').insert({
        id: '00000000-0000-4000-8000-000000000001',
        name: 'after migrations',
        kind: 'permanent',
        owner_ref: 'user:default/alice',
        created_by: 'user:default/alice',
        created_at: now,
        expires_at: now,
        digest: 'a'.repeat(64),
        hint: 'abcd',
      });
      await expect(
        knex('api_tokens').where('digest', 'a'.repeat(64)).first('name'),
      ).resolves.toEqual({ name: 'after migrations' });
    });
  });
});

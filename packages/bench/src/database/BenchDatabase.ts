import knexFactory, { Knex } from 'knex';
import { applyDatabaseMigrations } from '@nholuongut/backstage-plugin-api-tokens-backend/testing';

const DAY_SECONDS = 86_400;

/** What {@link BenchDatabase.fillTokens} wrote. */
export interface TokenFill {
  /** The user who owns every tenth token. */
  bulkOwnerRef: string;
  /** How many tokens that user owns. */
  bulkOwnerTokens: number;
  /** Live tokens that expire within the default 15-day threshold. */
  dueTokens: number;
}

/**
 * A PostgreSQL database of its own for one bench run, with the api-tokens
 * backend's real schema (its migrations), dropped at the end.
 */
export class BenchDatabase {
  static async create(postgresUrl: string): Promise<BenchDatabase> {
    const name = `bench_api_tokens_${process.pid}_${Date.now()}`;
    const admin = knexFactory({
      client: 'pg',
      connection: `${postgresUrl}/postgres`,
    });
    try {
      await admin.raw('CREATE DATABASE ??', [name]);
    } catch (error) {
      await admin.destroy();
      throw new Error(
        `Cannot create a database at ${postgresUrl}; is PostgreSQL running? ${error}`,
      );
    }
    const knex = knexFactory({
      client: 'pg',
      connection: `${postgresUrl}/${name}`,
      pool: { min: 0, max: 5 },
    });
    await applyDatabaseMigrations({
      getClient: async () => knex,
      migrations: { skip: false },
    });
    return new BenchDatabase(name, admin, knex);
  }

  private constructor(
    readonly name: string,
    private readonly admin: Knex,
    readonly knex: Knex,
  ) {}

  /**
   * Fills `api_tokens` with one INSERT … SELECT over generate_series, then
   * vacuums and analyzes it. Of every 100
   * tokens: 1 is due (live, expires within 15 days), 3 are revoked, 20 have
   * expired, 76 expire in 16 to 365 days. Every tenth token belongs to one
   * user; the others to 10,000 users. Digests are unique SHA-256 values.
   */
  async fillTokens(count: number, now: Date): Promise<TokenFill> {
    const bulkOwnerRef = 'user:default/bench-bulk-owner';
    // Maintaining a dozen indexes row by row is most of a fill's time: the
    // indexes, the keys among them, are dropped first and built again after,
    // each in one sorted pass. Foreign keys to the table go with its primary
    // key and come back last.
    const { rows: indexes } = await this.knex.raw(
      `SELECT i.indexname, i.indexdef FROM pg_indexes AS i
       WHERE i.tablename = 'api_tokens' AND NOT EXISTS (
         SELECT 1 FROM pg_constraint AS c WHERE c.conname = i.indexname)`,
    );
    const { rows: constraints } = await this.knex.raw(
      `SELECT CAST(conrelid AS regclass) AS "table", conname AS name,
         pg_get_constraintdef(oid) AS definition, contype AS type
       FROM pg_constraint
       WHERE (conrelid = CAST('api_tokens' AS regclass) AND contype IN ('p', 'u'))
         OR (confrelid = CAST('api_tokens' AS regclass) AND contype = 'f')
       ORDER BY contype = 'f' DESC`,
    );
    for (const { table, name } of constraints) {
      await this.knex.raw('ALTER TABLE ?? DROP CONSTRAINT ??', [table, name]);
    }
    for (const { indexname } of indexes) {
      await this.knex.raw('DROP INDEX ??', [indexname]);
    }
    await this.knex.raw(
      `
      INSERT INTO api_tokens (id, name, kind, owner_ref, created_by, created_at,
        expires_at, last_used_at, revoked_at, revoked_by, digest, hint)
      SELECT
        CAST(CAST(md5('bench-id-' || g) AS uuid) AS text),
        'bench token ' || g,
        'permanent',
        CASE WHEN g % 10 = 0 THEN ? ELSE 'user:default/bench-user-' || (g % 10000) END,
        'user:default/alice',
        p.now - make_interval(secs => g),
        CASE
          WHEN g % 100 = 1 THEN p.now + make_interval(secs => 3600 + (g * 7919) % (14 * ${DAY_SECONDS}))
          WHEN g % 100 BETWEEN 2 AND 4 THEN p.now + make_interval(secs => 60 + (g * 7919) % (365 * ${DAY_SECONDS}))
          WHEN g % 100 BETWEEN 5 AND 24 THEN p.now - make_interval(secs => 60 + (g * 7919) % (300 * ${DAY_SECONDS}))
          ELSE p.now + make_interval(secs => 16 * ${DAY_SECONDS} + (g * 7919) % (349 * ${DAY_SECONDS}))
        END,
        NULL,
        CASE WHEN g % 100 BETWEEN 2 AND 4 THEN p.now - make_interval(secs => g % ${DAY_SECONDS}) END,
        CASE WHEN g % 100 BETWEEN 2 AND 4 THEN 'user:default/alice' END,
        encode(sha256(convert_to('bench-token-' || g, 'UTF8')), 'hex'),
        right(md5(CAST(g AS text)), 4)
      FROM generate_series(CAST(1 AS bigint), ?) AS g,
        (SELECT CAST(? AS timestamptz) AS now) AS p
      `,
      [bulkOwnerRef, count, now],
    );
    await this.knex.transaction(async tx => {
      await tx.raw("SET LOCAL maintenance_work_mem = '512MB'");
      for (const { indexdef } of indexes) {
        await tx.raw(indexdef);
      }
      for (const { table, name, definition } of [...constraints].reverse()) {
        await tx.raw(`ALTER TABLE ?? ADD CONSTRAINT ?? ${definition}`, [
          table,
          name,
        ]);
      }
    });
    // As autovacuum would have in production; and the fill's dirty pages are
    // written now, not while a figure is measured.
    await this.knex.raw('VACUUM ANALYZE api_tokens');
    await this.knex.raw('CHECKPOINT').catch(() => {
      // Only superusers may; the figures are then a little noisier.
    });
    const [{ due }] = await this.knex('api_tokens')
      .count({ due: '*' })
      .whereNull('revoked_at')
      .where('expires_at', '>', now)
      .where(
        'expires_at',
        '<=',
        new Date(now.getTime() + 15 * DAY_SECONDS * 1000),
      );
    return {
      bulkOwnerRef,
      bulkOwnerTokens: Math.floor(count / 10),
      dueTokens: Number(due),
    };
  }

  async drop(): Promise<void> {
    await this.knex.destroy();
    try {
      await this.admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [
        this.name,
      ]);
    } finally {
      await this.admin.destroy();
    }
  }
}

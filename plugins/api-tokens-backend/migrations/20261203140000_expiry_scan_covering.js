// @ts-check

const INDEX = 'api_tokens_expiry_scan_idx';

/**
 * The expiry scan's index holds exactly what the scan reads: live
 * permanent tokens (a partial index: a revoked or rotated token leaves it),
 * in the order of its pages (expiry, id), with the name and owner that a
 * fault copies. On PostgreSQL those two are `INCLUDE`d, so the scan and the
 * `INSERT … SELECT` that raises the faults are index-only scans: before,
 * every due token cost a read of its row's page of `api_tokens`, a random
 * page of the table, which was most of a run over a table larger than the
 * shared buffers. SQLite has no `INCLUDE`: there the index is the same
 * partial index, without them.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const include =
    knex.client.config.client === 'pg' ? ' INCLUDE (name, owner_ref)' : '';
  await knex.schema.alterTable('api_tokens', table => {
    table.dropIndex(['kind', 'expires_at', 'id'], INDEX);
  });
  await knex.raw(
    `CREATE INDEX ${INDEX} ON api_tokens (expires_at, id)${include}
     WHERE kind = 'permanent' AND revoked_at IS NULL AND rotated_to IS NULL`,
  );
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.raw(`DROP INDEX ${INDEX}`);
  await knex.schema.alterTable('api_tokens', table => {
    table.index(['kind', 'expires_at', 'id'], INDEX);
  });
};

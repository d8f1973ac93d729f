// @ts-check

/**
 * The credentials inventory (`GET /v1/tokens/all`) lists every token of the
 * organisation, sorted by one of four columns and keyset paged by
 * (column, id). Each sort walks its own index from the page position, so a
 * page costs the same at the start and in the middle of a million tokens.
 * `last_used_at` is null for tokens never used, which sort as the oldest:
 * first ascending, last descending. PostgreSQL puts nulls last in an
 * ascending index unless told, SQLite always first, so PostgreSQL gets
 * `NULLS FIRST` (its backward scan serves the descending order). Owner and
 * creator filters have their own index. The index on `expires_at` alone
 * gives way to the one on (`expires_at`, `id`), which serves whatever it
 * served; PostgreSQL would otherwise pick it and sort each page on `id`.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('api_tokens', table => {
    table.dropIndex(['expires_at'], 'api_tokens_expires_at_idx');
    table.index(['created_at', 'id'], 'api_tokens_created_at_idx');
    table.index(['expires_at', 'id'], 'api_tokens_expires_at_id_idx');
    table.index(['name', 'id'], 'api_tokens_name_idx');
    table.index(
      ['created_by', 'created_at', 'id'],
      'api_tokens_created_by_idx',
    );
  });
  if (knex.client.config.client === 'pg') {
    await knex.raw(
      'CREATE INDEX api_tokens_last_used_at_idx ON api_tokens (last_used_at ASC NULLS FIRST, id ASC)',
    );
  } else {
    await knex.schema.alterTable('api_tokens', table => {
      table.index(['last_used_at', 'id'], 'api_tokens_last_used_at_idx');
    });
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('api_tokens', table => {
    table.dropIndex(['last_used_at', 'id'], 'api_tokens_last_used_at_idx');
    table.dropIndex(
      ['created_by', 'created_at', 'id'],
      'api_tokens_created_by_idx',
    );
    table.dropIndex(['name', 'id'], 'api_tokens_name_idx');
    table.dropIndex(['expires_at', 'id'], 'api_tokens_expires_at_id_idx');
    table.dropIndex(['created_at', 'id'], 'api_tokens_created_at_idx');
    table.index(['expires_at'], 'api_tokens_expires_at_idx');
  });
};

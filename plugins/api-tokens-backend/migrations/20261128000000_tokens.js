// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('api_tokens', table => {
    table.comment('API tokens; only a digest of each secret is stored');
    table.string('id', 36).primary().notNullable();
    table.string('name', 100).notNullable();
    table.string('kind', 16).notNullable().comment('permanent or temporary');
    table.string('owner_ref', 255).notNullable();
    table.string('created_by', 255).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.timestamp('last_used_at', { useTz: true }).nullable();
    table.timestamp('revoked_at', { useTz: true }).nullable();
    table.string('revoked_by', 255).nullable();
    table
      .string('digest', 64)
      .notNullable()
      .unique()
      .comment('SHA-256 or HMAC-SHA-256 of the token, hex');
    table.string('hint', 4).notNullable().comment('last 4 characters');
    table.index(['owner_ref', 'created_at', 'id'], 'api_tokens_owner_idx');
    table.index(['expires_at'], 'api_tokens_expires_at_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('api_tokens');
};

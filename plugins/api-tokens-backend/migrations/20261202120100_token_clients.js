// @ts-check

/**
 * Usage forensics: the last client addresses that used each token, with the
 * user agent of their latest request. The store keeps a few per token.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('api_token_clients', table => {
    table.comment(
      'The last client addresses and user agents that used each token',
    );
    table
      .string('token_id', 36)
      .notNullable()
      .references('id')
      .inTable('api_tokens')
      .onDelete('CASCADE');
    table.string('address', 100).notNullable();
    table.string('user_agent', 255).notNullable().defaultTo('');
    table.timestamp('last_used_at', { useTz: true }).notNullable();
    table.primary(['token_id', 'address']);
    table.index(['token_id', 'last_used_at'], 'api_token_clients_recent_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('api_token_clients');
};

// @ts-check

/**
 * Token scopes, and the Backstage tokens exchanged for an API token.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('api_tokens', table => {
    table
      .text('scope')
      .nullable()
      .comment("JSON ApiTokenScope; null is the owner's full power");
  });
  await knex.schema.createTable('api_token_derived', table => {
    table.comment(
      'Backstage user tokens exchanged for an API token, by the digest of their user identity proof (uip), which the limited tokens forwarded on behalf of the user are signed with',
    );
    table.string('digest', 64).primary().notNullable();
    table
      .string('token_id', 36)
      .notNullable()
      .references('id')
      .inTable('api_tokens')
      .onDelete('CASCADE');
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.index(['token_id'], 'api_token_derived_token_idx');
    table.index(['expires_at'], 'api_token_derived_expires_at_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('api_token_derived');
  await knex.schema.alterTable('api_tokens', table => {
    table.dropColumn('scope');
  });
};

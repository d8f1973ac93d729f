// @ts-check

/**
 * Rotation links a token to the one that replaced it and back. The old
 * token keeps working until its (shortened) expiry, the end of the overlap.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('api_tokens', table => {
    table
      .string('rotated_from', 36)
      .nullable()
      .comment('the token this one replaced by rotation');
    table
      .string('rotated_to', 36)
      .nullable()
      .comment('the token that replaced this one by rotation');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('api_tokens', table => {
    table.dropColumn('rotated_to');
    table.dropColumn('rotated_from');
  });
};

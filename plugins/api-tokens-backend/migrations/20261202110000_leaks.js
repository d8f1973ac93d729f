// @ts-check

/**
 * Leak reports: a token revoked because a secret scanner found it keeps why
 * (`revoked_reason` `leaked`) and where it was found (`leak_url`); the
 * `leaked` fault that says so on the Faults page keeps the address too.
 * The reported value itself is never stored.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('api_tokens', table => {
    table
      .string('revoked_reason', 32)
      .nullable()
      .comment('why the token was revoked when not by a person: leaked, …');
    table
      .string('leak_url', 2048)
      .nullable()
      .comment('where a secret scanner found the token');
  });
  await knex.schema.alterTable('api_token_faults', table => {
    table
      .string('leak_url', 2048)
      .nullable()
      .comment('where a leaked token was found; for leaked faults');
  });
};

/**
 * Drops the leak faults, which the older schema cannot tell from expiry
 * faults, and the columns.
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex('api_token_faults').where('kind', 'leaked').delete();
  await knex.schema.alterTable('api_token_faults', table => {
    table.dropColumn('leak_url');
  });
  await knex.schema.alterTable('api_tokens', table => {
    table.dropColumn('leak_url');
    table.dropColumn('revoked_reason');
  });
};

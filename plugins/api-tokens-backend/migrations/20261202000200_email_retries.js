// @ts-check

/**
 * Failed expiry emails are retried with a growing delay, and given up after
 * a number of attempts.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('api_token_fault_emails', table => {
    table
      .timestamp('next_attempt_at', { useTz: true })
      .nullable()
      .comment('after a failed attempt, no new attempt before this time');
    table
      .timestamp('gave_up_at', { useTz: true })
      .nullable()
      .comment('set when the last allowed attempt failed; never tried again');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('api_token_fault_emails', table => {
    table.dropColumn('gave_up_at');
    table.dropColumn('next_attempt_at');
  });
};

// @ts-check

/**
 * An admin may acknowledge an open fault: it stays open (it still says the
 * token is about to expire) but sends no more emails or owner notices, and
 * records who acknowledged it and when.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('api_token_faults', table => {
    table
      .timestamp('acknowledged_at', { useTz: true })
      .nullable()
      .comment(
        'when an admin acknowledged the fault; no more emails or notices',
      );
    table.string('acknowledged_by', 255).nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('api_token_faults', table => {
    table.dropColumn('acknowledged_by');
    table.dropColumn('acknowledged_at');
  });
};

// @ts-check

/**
 * The expiry check claims owner notices a batch at a time, oldest first,
 * among the open faults not yet notified. Without an index of just those,
 * each batch read every open fault again and sorted it: a batch cost more
 * the further a run got, minutes in all for a hundred thousand faults.
 * A claimed fault leaves this partial index, so each batch starts at the
 * next unclaimed fault. Both PostgreSQL and SQLite take partial indexes.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.raw(
    `CREATE INDEX api_token_faults_unnotified_idx ON api_token_faults (raised_at, id)
     WHERE status = 'open' AND notified_at IS NULL AND acknowledged_at IS NULL`,
  );
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.raw('DROP INDEX api_token_faults_unnotified_idx');
};

// @ts-check

const FOREIGN_KEY = 'api_token_faults_token_id_foreign';

/**
 * On PostgreSQL, a fault's token is no longer a checked foreign key. The
 * check locked the token's row for every fault inserted (`FOR KEY SHARE`),
 * which writes that row's page: for an expiry run that raises 10,000
 * faults, 10,000 pages of `api_tokens` written (each a full page in the
 * write-ahead log after a checkpoint), half of the time of the insert.
 * Every fault is inserted from a token row that exists (the expiry scan's
 * `INSERT … SELECT FROM api_tokens`, a leak report of a stored token, a
 * give-up fault copying its expiry fault), and `deleteToken`, the one place
 * a token row is deleted, deletes its faults first (their emails go with
 * them by their own foreign key). SQLite keeps the key: it costs nothing
 * there, and dropping it would rebuild the table.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  if (knex.client.config.client === 'pg') {
    await knex.raw(
      `ALTER TABLE api_token_faults DROP CONSTRAINT ${FOREIGN_KEY}`,
    );
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  if (knex.client.config.client === 'pg') {
    await knex.raw(
      `DELETE FROM api_token_faults AS f WHERE NOT EXISTS (SELECT 1 FROM api_tokens AS t WHERE t.id = f.token_id)`,
    );
    await knex.raw(
      `ALTER TABLE api_token_faults ADD CONSTRAINT ${FOREIGN_KEY} FOREIGN KEY (token_id) REFERENCES api_tokens (id) ON DELETE CASCADE`,
    );
  }
};

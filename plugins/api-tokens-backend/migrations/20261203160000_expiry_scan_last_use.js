// @ts-check

const INDEX = 'api_tokens_expiry_scan_idx';
const LIVE_PERMANENT_TOKEN =
  "kind = 'permanent' AND revoked_at IS NULL AND rotated_to IS NULL";

/**
 * @param {import('knex').Knex} knex
 * @param {string} include
 */
async function rebuild(knex, include) {
  await knex.raw(`DROP INDEX ${INDEX}`);
  await knex.raw(
    `CREATE INDEX ${INDEX} ON api_tokens (expires_at, id) INCLUDE (${include})
     WHERE ${LIVE_PERMANENT_TOKEN}`,
  );
}

/**
 * The expiry scan's index also holds each token's last use, which the
 * owner's notice of a new fault quotes ("still used 2 hours ago"): the
 * statement that raises a page's faults returns it from the index entry it
 * has just read, where reading it afterwards by id cost a random page of
 * `api_tokens` per due token, most of a first run over a table larger than
 * the shared buffers. `last_used_at` is indexed already
 * (`api_tokens_last_used_at_idx`), so recording a use was never a HOT
 * update and costs no more. PostgreSQL only: SQLite's index has no
 * `INCLUDE`, and reads the row.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  if (knex.client.config.client === 'pg') {
    await rebuild(knex, 'name, owner_ref, last_used_at');
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  if (knex.client.config.client === 'pg') {
    await rebuild(knex, 'name, owner_ref');
  }
};

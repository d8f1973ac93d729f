// @ts-check

/**
 * The expiry check reads permanent tokens only (temporary tokens raise no
 * fault). Its scan walks this index from the page position: the kind first,
 * so that however many temporary tokens expire in the window, the scan
 * never reads them, then the order of the pages (expiry, id).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('api_tokens', table => {
    table.index(['kind', 'expires_at', 'id'], 'api_tokens_expiry_scan_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('api_tokens', table => {
    table.dropIndex(['kind', 'expires_at', 'id'], 'api_tokens_expiry_scan_idx');
  });
};

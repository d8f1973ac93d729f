// @ts-check

const LEDGER_KEY = 'api_token_faults_ledger_key';

/**
 * Faults of a second kind: `email-undeliverable`, raised when the expiry
 * email of a fault to one address gave up. Such a fault copies the token,
 * threshold and expiry of the expiry fault it is about, so the ledger key
 * gains the kind and the address: one expiry fault per token, threshold and
 * expiry as before (kind `expiry`, no address), and one give-up fault per
 * expiry fault and address.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('api_token_faults', table => {
    table
      .string('kind', 32)
      .notNullable()
      .defaultTo('expiry')
      .comment('expiry or email-undeliverable');
    table
      .string('email_address', 254)
      .notNullable()
      .defaultTo('')
      .comment(
        'the address an email-undeliverable fault is about; empty for expiry faults',
      );
  });
  await knex.schema.alterTable('api_token_faults', table => {
    table.dropUnique(
      ['token_id', 'threshold_days', 'token_expires_at'],
      LEDGER_KEY,
    );
    table.unique(
      [
        'token_id',
        'threshold_days',
        'token_expires_at',
        'kind',
        'email_address',
      ],
      { indexName: LEDGER_KEY },
    );
  });
};

/**
 * Drops the give-up faults, which the older schema cannot tell from expiry
 * faults.
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex('api_token_faults').whereNot('kind', 'expiry').delete();
  await knex.schema.alterTable('api_token_faults', table => {
    table.dropUnique(
      [
        'token_id',
        'threshold_days',
        'token_expires_at',
        'kind',
        'email_address',
      ],
      LEDGER_KEY,
    );
    table.unique(['token_id', 'threshold_days', 'token_expires_at'], {
      indexName: LEDGER_KEY,
    });
  });
  await knex.schema.alterTable('api_token_faults', table => {
    table.dropColumn('email_address');
    table.dropColumn('kind');
  });
};

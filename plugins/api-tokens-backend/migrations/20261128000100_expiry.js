// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('api_token_settings', table => {
    table.comment('System settings that admins change at runtime');
    table.string('key', 64).primary().notNullable();
    table.text('value').notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.string('updated_by', 255).notNullable();
  });

  await knex.schema.createTable('api_token_faults', table => {
    table.comment(
      'Expiry faults; also the ledger that makes each notice happen once per token, threshold and expiry',
    );
    table.string('id', 36).primary().notNullable();
    table
      .string('token_id', 36)
      .notNullable()
      .references('id')
      .inTable('api_tokens')
      .onDelete('CASCADE');
    table.string('token_name', 100).notNullable();
    table.string('owner_ref', 255).notNullable();
    table.integer('threshold_days').notNullable();
    table.timestamp('token_expires_at', { useTz: true }).notNullable();
    table.timestamp('raised_at', { useTz: true }).notNullable();
    table.string('status', 16).notNullable().comment('open or resolved');
    table.timestamp('resolved_at', { useTz: true }).nullable();
    table
      .string('resolution', 16)
      .nullable()
      .comment('revoked, expired or superseded');
    table
      .timestamp('notified_at', { useTz: true })
      .nullable()
      .comment('when the owner got a Backstage notification');
    table.integer('notify_attempts').notNullable().defaultTo(0);
    table.unique(['token_id', 'threshold_days', 'token_expires_at'], {
      indexName: 'api_token_faults_ledger_key',
    });
    table.index(['status', 'raised_at', 'id'], 'api_token_faults_status_idx');
    table.index(['owner_ref', 'raised_at'], 'api_token_faults_owner_idx');
  });

  await knex.schema.createTable('api_token_fault_emails', table => {
    table.comment(
      'The email outbox: one row per fault and recipient, delivered once the SMTP server accepted it',
    );
    table
      .string('fault_id', 36)
      .notNullable()
      .references('id')
      .inTable('api_token_faults')
      .onDelete('CASCADE');
    table.string('address', 254).notNullable();
    table.timestamp('delivered_at', { useTz: true }).nullable();
    table.integer('attempts').notNullable().defaultTo(0);
    table.text('last_error').nullable();
    table.string('lease_id', 36).nullable();
    table.timestamp('lease_until', { useTz: true }).nullable();
    table.primary(['fault_id', 'address']);
    table.index(
      ['delivered_at', 'lease_until'],
      'api_token_fault_emails_pending_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('api_token_fault_emails');
  await knex.schema.dropTable('api_token_faults');
  await knex.schema.dropTable('api_token_settings');
};

import type { Knex } from 'knex';

/**
 * A PayPal payout (section 33 by PayPal): what we asked PayPal for and what PayPal says of it.
 * - `sender_batch_id` is derived from the payment's id and never changes: every retry of the
 *   create call sends it again, and PayPal completes a payment only once for it (30 days);
 * - the batch and item ids PayPal gave, the item's last transaction_status, its error name;
 * - the send attempts and the last problem (an outage, a 429), shown to finance.
 * Webhook deliveries are kept by PayPal's event id, so a replayed one is seen once.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('paypal_payouts', (t) => {
    t.bigInteger('payment_id').primary().references('payments.id');
    t.text('sender_batch_id').notNullable().unique();
    t.text('receiver').notNullable();
    t.integer('amount_cents').notNullable();
    t.text('currency').notNullable().defaultTo('CAD');
    t.text('payout_batch_id').unique();
    t.text('payout_item_id').unique();
    t.text('batch_status');
    /** PayPal's transaction_status, as PayPal wrote it (an unknown one is kept, not refused). */
    t.text('item_status');
    t.text('item_error');
    t.integer('send_attempts').notNullable().defaultTo(0);
    t.integer('status_checks').notNullable().defaultTo(0);
    t.text('last_problem');
    t.timestamp('next_try_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
  });
  await knex.raw(
    `ALTER TABLE paypal_payouts ADD CONSTRAINT paypal_payouts_amount CHECK (amount_cents > 0 AND char_length(receiver) BETWEEN 3 AND 127)`,
  );
  await knex.schema.createTable('paypal_webhook_events', (t) => {
    t.text('event_id').primary();
    t.text('event_type').notNullable();
    t.text('transmission_id').notNullable();
    t.text('resource_id');
    t.bigInteger('payment_id').references('payments.id');
    t.timestamp('received_at', { useTz: true }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('paypal_webhook_events');
  await knex.schema.dropTable('paypal_payouts');
}

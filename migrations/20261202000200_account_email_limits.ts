import type { Knex } from 'knex';

/**
 * Two lookups the accounts feature now makes on every sign-up and reset request: the emails one
 * address received from one template in the last hour (the per-recipient limit), and an
 * account's confirmation links (the expiry of sign-ups never confirmed).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    'CREATE INDEX outbox_recipient_template_recent ON outbox (lower(recipient), template, created_at)',
  );
  await knex.raw('CREATE INDEX account_tokens_user_purpose ON account_tokens (user_id, purpose)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX account_tokens_user_purpose');
  await knex.raw('DROP INDEX outbox_recipient_template_recent');
}

import type { Knex } from 'knex';

/**
 * The mailing list as CASL wants it: the consent wording people agree to, versioned in both
 * languages; each subscriber's language and interests; single-use links stored as hashes (the
 * double opt-in's, which carry the choices made on the form until they are confirmed, and one
 * unsubscribe link per email sent); an append-only record of when, how and with which wording
 * consent was given or withdrawn; and an outbox status for a message withdrawn at sending time
 * because its recipient left the list.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('subscription_consent_wordings', (t) => {
    t.integer('version').primary();
    t.text('text_en').notNullable();
    t.text('text_fr').notNullable();
    t.timestamp('published_at', { useTz: true }).notNullable();
  });
  await knex('subscription_consent_wordings').insert({
    version: 1,
    text_en:
      'I agree to receive emails from Micro-acquisitions, the Government of Canada’s micro-acquisition platform, announcing new opportunities. I can unsubscribe at any time with the link in each email.',
    text_fr:
      'J’accepte de recevoir des courriels de Micro-acquisitions, la plateforme de micro-acquisition du gouvernement du Canada, qui annoncent les nouvelles occasions. Je peux me désabonner en tout temps au moyen du lien qui figure dans chaque courriel.',
    published_at: new Date('2026-12-03T00:00:00Z'),
  });

  await knex.schema.alterTable('subscribers', (t) => {
    // Skills as the person chose them; none means every announcement.
    t.specificType('interests', 'text[]').notNullable().defaultTo('{}');
  });
  // Links are now one per email and kept hashed (subscription_tokens); older rows keep theirs.
  await knex.raw('ALTER TABLE subscribers ALTER COLUMN unsubscribe_token DROP NOT NULL');
  await knex.raw(
    `ALTER TABLE subscribers ADD CONSTRAINT subscribers_language_known CHECK (language IN ('en', 'fr'))`,
  );

  await knex.schema.createTable('subscription_tokens', (t) => {
    t.bigIncrements('id');
    t.bigInteger('subscriber_id').notNullable().references('subscribers.id');
    t.text('purpose').notNullable();
    t.text('token_hash').notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true });
    t.timestamp('used_at', { useTz: true });
    // A confirmation link applies what the form asked for, once the address is proven.
    t.text('language');
    t.specificType('interests', 'text[]');
    t.integer('consent_version').references('subscription_consent_wordings.version');
    t.text('method');
  });
  await knex.raw(
    `ALTER TABLE subscription_tokens ADD CONSTRAINT subscription_tokens_purpose_known CHECK (
       (purpose = 'confirm' AND expires_at IS NOT NULL AND language IN ('en', 'fr')
          AND interests IS NOT NULL AND consent_version IS NOT NULL AND method = 'form')
       OR purpose = 'unsubscribe')`,
  );

  await knex.schema.createTable('subscription_consents', (t) => {
    t.bigIncrements('id');
    t.bigInteger('subscriber_id').notNullable().references('subscribers.id');
    t.text('kind').notNullable();
    t.timestamp('at', { useTz: true }).notNullable();
    t.text('method').notNullable();
    t.integer('wording_version').references('subscription_consent_wordings.version');
    // For consent given on the public form: when the form was sent (the confirmation is `at`).
    t.timestamp('requested_at', { useTz: true });
    t.index(['subscriber_id', 'at']);
  });
  await knex.raw(
    `ALTER TABLE subscription_consents ADD CONSTRAINT subscription_consents_kind_known CHECK (
       (kind = 'given' AND method IN ('form', 'profile') AND wording_version IS NOT NULL)
       OR (kind = 'withdrawn' AND method IN ('one_click', 'unsubscribe_page', 'profile')))`,
  );
  await knex.raw(`
    CREATE FUNCTION forbid_consent_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'the consent record is append-only';
    END $$`);
  await knex.raw(`
    CREATE TRIGGER subscription_consents_append_only BEFORE UPDATE OR DELETE ON subscription_consents
    FOR EACH ROW EXECUTE FUNCTION forbid_consent_change()`);

  await knex.raw('ALTER TABLE outbox DROP CONSTRAINT outbox_status_known');
  await knex.raw(
    `ALTER TABLE outbox ADD CONSTRAINT outbox_status_known CHECK (status IN ('pending', 'sent', 'failed', 'withdrawn'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex('outbox').where({ status: 'withdrawn' }).delete();
  await knex.raw('ALTER TABLE outbox DROP CONSTRAINT outbox_status_known');
  await knex.raw(
    `ALTER TABLE outbox ADD CONSTRAINT outbox_status_known CHECK (status IN ('pending', 'sent', 'failed'))`,
  );
  await knex.schema.dropTable('subscription_consents');
  await knex.raw('DROP FUNCTION forbid_consent_change');
  await knex.schema.dropTable('subscription_tokens');
  await knex.raw('ALTER TABLE subscribers DROP CONSTRAINT subscribers_language_known');
  await knex.schema.alterTable('subscribers', (t) => {
    t.dropColumn('interests');
  });
  await knex.schema.dropTable('subscription_consent_wordings');
}

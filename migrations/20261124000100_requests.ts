import type { Knex } from 'knex';

const CAP_CENTS = 1_000_000;

/**
 * From a client's request to a published opportunity: the request's own fields on the
 * opportunity row (a draft is an opportunity in the `draft` state), the section 32 fund
 * reservation, reference numbers, questions and answers, watchers, richer addenda and the
 * mailing-list subscribers that publishing announces to.
 */
export async function up(knex: Knex): Promise<void> {
  // A draft is saved step by step: price, repository and licence come later than the title.
  await knex.raw(`ALTER TABLE opportunities ALTER COLUMN price_cents DROP NOT NULL`);
  await knex.raw(`ALTER TABLE opportunities ALTER COLUMN max_total_cents DROP NOT NULL`);
  await knex.raw(`ALTER TABLE opportunities ALTER COLUMN repository_url SET DEFAULT ''`);
  await knex.raw(`ALTER TABLE opportunities ALTER COLUMN licence SET DEFAULT ''`);
  await knex.raw(`ALTER TABLE opportunities DROP CONSTRAINT opportunities_total_within_cap`);
  await knex.raw(
    `ALTER TABLE opportunities ADD CONSTRAINT opportunities_total_within_cap CHECK (max_total_cents IS NULL OR (price_cents IS NOT NULL AND max_total_cents >= price_cents AND max_total_cents <= ${CAP_CENTS}))`,
  );
  await knex.raw(
    `ALTER TABLE opportunities ADD CONSTRAINT opportunities_priced_after_draft CHECK (status IN ('draft', 'cancelled') OR (price_cents IS NOT NULL AND max_total_cents IS NOT NULL))`,
  );

  await knex.schema.alterTable('opportunities', (t) => {
    t.bigInteger('requester_id').references('users.id');
    t.text('source_language').notNullable().defaultTo('en');
    t.text('cost_centre');
    t.text('fund');
    t.text('gl_account');
    t.text('payment_method');
    t.date('preferred_opens_on');
    t.date('preferred_closes_on');
    t.specificType('completed_steps', 'text[]').notNullable().defaultTo('{}');
    t.text('splitting_justification');
    t.jsonb('splitting_related');
    t.bigInteger('splitting_approved_by').references('users.id');
    t.timestamp('splitting_approved_at', { useTz: true });
    t.timestamp('translation_requested_at', { useTz: true });
    t.timestamp('translation_received_at', { useTz: true });
    t.text('preview_token').unique();
    t.index(['requester_id']);
    t.index(['cost_centre']);
    t.index(['repository_url']);
  });
  await knex.raw(
    `ALTER TABLE opportunities ADD CONSTRAINT opportunities_source_language CHECK (source_language IN ('en', 'fr'))`,
  );
  await knex.raw(
    `ALTER TABLE opportunities ADD CONSTRAINT opportunities_payment_method CHECK (payment_method IS NULL OR payment_method IN ('card', 'paypal'))`,
  );
  await knex.raw(
    `ALTER TABLE opportunities ADD CONSTRAINT opportunities_splitting_approver CHECK (splitting_approved_by IS NULL OR splitting_approved_by IS DISTINCT FROM requester_id)`,
  );

  // MA-YYYY-NNNN: one counter per year, taken with an upsert so two requests never share one.
  await knex.schema.createTable('reference_counters', (t) => {
    t.integer('year').primary();
    t.integer('last').notNullable();
  });

  await knex.schema.createTable('fund_reservations', (t) => {
    t.bigIncrements('id');
    t.bigInteger('opportunity_id').notNullable().unique().references('opportunities.id');
    t.integer('department_id').notNullable().references('departments.id');
    t.text('reservation_number').notNullable();
    t.integer('amount_cents').notNullable();
    t.text('cost_centre').notNullable();
    t.text('fund').notNullable();
    t.text('gl_account').notNullable();
    t.integer('delegated_limit_cents').notNullable();
    t.text('attestation').notNullable();
    t.bigInteger('approved_by').notNullable().references('users.id');
    t.timestamp('approved_at', { useTz: true }).notNullable();
    t.timestamp('release_requested_at', { useTz: true });
    t.bigInteger('released_by').references('users.id');
    t.timestamp('released_at', { useTz: true });
    t.index(['department_id', 'release_requested_at']);
  });
  await knex.raw(
    `ALTER TABLE fund_reservations ADD CONSTRAINT fund_reservations_amount CHECK (amount_cents > 0 AND amount_cents <= ${CAP_CENTS} AND amount_cents <= delegated_limit_cents)`,
  );
  // The last line of defence for FAA s.32: no opportunity becomes public without a reservation.
  await knex.raw(`
    CREATE FUNCTION require_fund_reservation() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM fund_reservations WHERE opportunity_id = NEW.id) THEN
        RAISE EXCEPTION 'opportunity % has no section 32 fund reservation', NEW.reference;
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(`
    CREATE TRIGGER opportunities_published_with_funds BEFORE UPDATE OF status ON opportunities
    FOR EACH ROW WHEN (NEW.status = 'published' AND OLD.status IS DISTINCT FROM 'published')
    EXECUTE FUNCTION require_fund_reservation()`);

  await knex.schema.createTable('questions', (t) => {
    t.bigIncrements('id');
    t.bigInteger('opportunity_id').notNullable().references('opportunities.id');
    t.bigInteger('asked_by').notNullable().references('users.id');
    t.text('question').notNullable();
    t.text('language').notNullable();
    t.timestamp('asked_at', { useTz: true }).notNullable();
    t.text('question_en');
    t.text('question_fr');
    t.text('answer_en');
    t.text('answer_fr');
    t.bigInteger('answered_by').references('users.id');
    t.timestamp('answered_at', { useTz: true });
    t.index(['opportunity_id', 'answered_at']);
  });
  await knex.raw(
    `ALTER TABLE questions ADD CONSTRAINT questions_language CHECK (language IN ('en', 'fr'))`,
  );
  await knex.raw(
    `ALTER TABLE questions ADD CONSTRAINT questions_answered_in_both CHECK (answered_at IS NULL OR (coalesce(trim(answer_en), '') <> '' AND coalesce(trim(answer_fr), '') <> '' AND coalesce(trim(question_en), '') <> '' AND coalesce(trim(question_fr), '') <> ''))`,
  );

  await knex.schema.createTable('watchers', (t) => {
    t.bigInteger('opportunity_id').notNullable().references('opportunities.id');
    t.bigInteger('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.primary(['opportunity_id', 'user_id']);
  });

  await knex.schema.alterTable('addenda', (t) => {
    t.jsonb('changes').notNullable().defaultTo('[]');
    t.timestamp('previous_closes_at', { useTz: true });
    t.timestamp('new_closes_at', { useTz: true });
    t.bigInteger('created_by').references('users.id');
  });

  await knex.schema.createTable('subscribers', (t) => {
    t.bigIncrements('id');
    t.text('email').notNullable();
    t.text('language').notNullable().defaultTo('en');
    t.text('unsubscribe_token').notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('confirmed_at', { useTz: true });
    t.timestamp('unsubscribed_at', { useTz: true });
  });
  await knex.raw(`CREATE UNIQUE INDEX subscribers_email ON subscribers (lower(email))`);

  await knex.raw(`
    CREATE TRIGGER questions_public_content_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON questions
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_content_changed()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('subscribers');
  await knex.schema.alterTable('addenda', (t) => {
    t.dropColumns('changes', 'previous_closes_at', 'new_closes_at', 'created_by');
  });
  await knex.schema.dropTable('watchers');
  await knex.schema.dropTable('questions');
  await knex.raw('DROP TRIGGER opportunities_published_with_funds ON opportunities');
  await knex.raw('DROP FUNCTION require_fund_reservation');
  await knex.schema.dropTable('fund_reservations');
  await knex.schema.dropTable('reference_counters');
  await knex.raw(`ALTER TABLE opportunities DROP CONSTRAINT opportunities_priced_after_draft`);
  await knex.schema.alterTable('opportunities', (t) => {
    t.dropColumns(
      'requester_id',
      'source_language',
      'cost_centre',
      'fund',
      'gl_account',
      'payment_method',
      'preferred_opens_on',
      'preferred_closes_on',
      'completed_steps',
      'splitting_justification',
      'splitting_related',
      'splitting_approved_by',
      'splitting_approved_at',
      'translation_requested_at',
      'translation_received_at',
      'preview_token',
    );
  });
}

import type { Knex } from 'knex';

/**
 * A supplier's optional self-identification and their feedback on the web, each in a table of its
 * own beside the application, never a column of it: evaluation reads `applications`, and nothing
 * it selects can carry an answer. The reference to the application is kept (with ON DELETE
 * CASCADE) so that the answers go with the application and never outlive it; that only the
 * self-identification module reads the table is checked by test/integration/self-identification-privacy.test.ts.
 * Neither table is a lifecycle record: no status, no event, so no history can hold an answer.
 */
const answers = ['yes', 'no', 'prefer_not_to_say'];
const steps = ['application_submitted', 'selected', 'not_drawn', 'not_met'];
const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('self_identifications', (t) => {
    t.bigInteger('application_id').primary().references('applications.id').onDelete('CASCADE');
    // Each question may be left unanswered (null), answered, or declined ("prefer not to say").
    t.text('outside_ncr');
    t.text('equity_group');
    t.text('small_business');
    t.text('first_gc_contract');
    t.timestamp('answered_at', { useTz: true }).notNullable();
  });
  for (const column of ['outside_ncr', 'equity_group', 'small_business', 'first_gc_contract']) {
    await knex.raw(
      `ALTER TABLE self_identifications ADD CONSTRAINT self_identifications_${column}_known CHECK (${column} IS NULL OR ${column} IN (${list(answers)}))`,
    );
  }

  await knex.schema.createTable('feedback', (t) => {
    t.bigIncrements('id');
    t.bigInteger('application_id').notNullable().references('applications.id').onDelete('CASCADE');
    t.text('step').notNullable();
    t.smallint('ease');
    t.smallint('clarity');
    t.text('would_help');
    t.text('language').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    // One answer per person per step: sending it again replaces it.
    t.unique(['application_id', 'step']);
    t.index(['step']);
  });
  await knex.raw(
    `ALTER TABLE feedback ADD CONSTRAINT feedback_step_known CHECK (step IN (${list(steps)}))`,
  );
  await knex.raw(
    `ALTER TABLE feedback ADD CONSTRAINT feedback_scores CHECK ((ease IS NULL OR ease BETWEEN 1 AND 5) AND (clarity IS NULL OR clarity BETWEEN 1 AND 5))`,
  );
  await knex.raw(
    `ALTER TABLE feedback ADD CONSTRAINT feedback_would_help_length CHECK (would_help IS NULL OR char_length(would_help) <= 2000)`,
  );
  await knex.raw(
    `ALTER TABLE feedback ADD CONSTRAINT feedback_language_known CHECK (language IN ('en', 'fr'))`,
  );
  await knex.raw(
    `ALTER TABLE feedback ADD CONSTRAINT feedback_not_empty CHECK (ease IS NOT NULL OR clarity IS NOT NULL OR would_help IS NOT NULL)`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('feedback');
  await knex.schema.dropTable('self_identifications');
}

import type { Knex } from 'knex';

/**
 * The evaluation after closing (issue 11, item 5):
 *
 * - `evaluators`: who evaluates an opportunity's applications — the requester, or a client or
 *   program officer of the department the program officer named — and when they declared no
 *   conflict of interest (the wording is in that event), and a program officer's return for
 *   rework with its comment.
 * - `anonymous_applicants`: Applicant A, B, C… in a random order drawn once per opportunity and
 *   kept, so every evaluator and every visit reads the same letters.
 * - `evaluation_decisions`: each evaluator's pass or fail per application and criterion, with its
 *   written reason (at least 30 characters, the database says so too).
 * - `evaluation_consensus`: where two independent evaluators disagree, the decision agreed.
 * - `departments.second_evaluator_required`: the department's setting.
 */
const MIN_REASON = 30;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('departments', (t) => {
    t.boolean('second_evaluator_required').notNullable().defaultTo(false);
  });

  await knex.schema.createTable('evaluators', (t) => {
    t.bigIncrements('id');
    t.bigInteger('opportunity_id').notNullable().references('opportunities.id');
    t.bigInteger('user_id').notNullable().references('users.id');
    // Null when the requester evaluates their own request without being named.
    t.bigInteger('named_by').references('users.id');
    t.timestamp('named_at', { useTz: true }).notNullable();
    t.timestamp('declared_at', { useTz: true });
    t.timestamp('returned_at', { useTz: true });
    t.text('return_comment');
    t.unique(['opportunity_id', 'user_id']);
  });

  await knex.schema.createTable('anonymous_applicants', (t) => {
    t.bigInteger('application_id').primary().references('applications.id');
    t.bigInteger('opportunity_id').notNullable().references('opportunities.id');
    t.integer('position').notNullable();
    t.unique(['opportunity_id', 'position']);
  });
  await knex.raw(
    `ALTER TABLE anonymous_applicants ADD CONSTRAINT anonymous_applicants_position CHECK (position > 0)`,
  );

  for (const table of ['evaluation_decisions', 'evaluation_consensus']) {
    await knex.schema.createTable(table, (t) => {
      t.bigIncrements('id');
      t.bigInteger('opportunity_id').notNullable().references('opportunities.id');
      t.bigInteger('application_id').notNullable().references('applications.id');
      t.bigInteger('mandatory_criterion_id').notNullable().references('mandatory_criteria.id');
      t.integer('criterion_version').notNullable();
      t.text('decision').notNullable();
      t.text('reason').notNullable();
      t.bigInteger('decided_by').notNullable().references('users.id');
      t.timestamp('decided_at', { useTz: true }).notNullable();
      t.index(['opportunity_id']);
    });
    await knex.raw(
      `ALTER TABLE ${table} ADD CONSTRAINT ${table}_decision CHECK (decision IN ('pass', 'fail'))`,
    );
    await knex.raw(
      `ALTER TABLE ${table} ADD CONSTRAINT ${table}_reason CHECK (char_length(btrim(reason)) >= ${MIN_REASON})`,
    );
  }
  await knex.raw(
    `ALTER TABLE evaluation_decisions ADD CONSTRAINT evaluation_decisions_one UNIQUE (application_id, mandatory_criterion_id, decided_by)`,
  );
  await knex.raw(
    `ALTER TABLE evaluation_consensus ADD CONSTRAINT evaluation_consensus_one UNIQUE (application_id, mandatory_criterion_id)`,
  );
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'evaluation_consensus',
    'evaluation_decisions',
    'anonymous_applicants',
    'evaluators',
  ]) {
    await knex.schema.dropTable(table);
  }
  await knex.schema.alterTable('departments', (t) => t.dropColumn('second_evaluator_required'));
}

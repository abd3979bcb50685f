import type { Knex } from 'knex';

/**
 * The contract under way: its due date (the opportunity's delivery date when the supplier accepts
 * the terms, later when an extension is granted) and its midpoint, halfway between the acceptance
 * and the due date in Toronto dates; the messages between the supplier and the client, each kept
 * with the language it was written in. Check-ins and extensions are events of the contract.
 *
 * After a contract is terminated for non-delivery, the opportunity may go back from `awarded` to
 * `drawn` so the next passing applicant is offered the work: the database allows it only when a
 * contract of the opportunity is terminated and none is live (offered or under way).
 */
const MESSAGE_MAX = 5000;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('contracts', (t) => {
    t.date('due_on');
    t.date('midpoint_on');
  });
  await knex.raw(
    `ALTER TABLE contracts ADD CONSTRAINT contracts_midpoint_before_due CHECK (midpoint_on IS NULL OR (due_on IS NOT NULL AND midpoint_on <= due_on))`,
  );
  await knex.raw(
    `CREATE INDEX contracts_midpoints_due ON contracts (midpoint_on) WHERE status = 'in_progress'`,
  );

  await knex.schema.createTable('contract_messages', (t) => {
    t.bigIncrements('id');
    t.bigInteger('contract_id').notNullable().references('contracts.id');
    t.bigInteger('opportunity_id').notNullable().references('opportunities.id');
    t.integer('department_id').notNullable().references('departments.id');
    t.bigInteger('author_id').notNullable().references('users.id');
    t.text('body').notNullable();
    t.text('lang').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['contract_id', 'created_at']);
  });
  await knex.raw(
    `ALTER TABLE contract_messages ADD CONSTRAINT contract_messages_body CHECK (length(trim(body)) BETWEEN 1 AND ${MESSAGE_MAX} AND lang IN ('en', 'fr'))`,
  );

  await knex.raw(`
    CREATE FUNCTION draw_reopened_after_termination() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF OLD.status = 'awarded' AND NEW.status = 'drawn' THEN
        IF NOT EXISTS (
          SELECT 1 FROM contracts WHERE opportunity_id = NEW.id AND status = 'terminated'
        ) OR EXISTS (
          SELECT 1 FROM contracts WHERE opportunity_id = NEW.id
            AND status IN ('offered', 'in_progress', 'delivered', 'accepted')
        ) THEN
          RAISE EXCEPTION 'opportunity %: back to drawn only after a termination, with no live contract', NEW.id;
        END IF;
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(`
    CREATE TRIGGER opportunities_draw_reopened BEFORE UPDATE OF status ON opportunities
    FOR EACH ROW EXECUTE FUNCTION draw_reopened_after_termination()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER opportunities_draw_reopened ON opportunities');
  await knex.raw('DROP FUNCTION draw_reopened_after_termination');
  await knex.schema.dropTable('contract_messages');
  await knex.raw('DROP INDEX contracts_midpoints_due');
  await knex.raw('ALTER TABLE contracts DROP CONSTRAINT contracts_midpoint_before_due');
  await knex.schema.alterTable('contracts', (t) => {
    t.dropColumn('midpoint_on');
    t.dropColumn('due_on');
  });
}

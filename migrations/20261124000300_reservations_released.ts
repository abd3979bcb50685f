import type { Knex } from 'knex';

/**
 * A released fund reservation no longer covers an opportunity: publishing needs one that is
 * still held. The splitting check reads opportunities by department and cost centre, and
 * compares repositories as an expression, so the plain indexes go.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE OR REPLACE FUNCTION require_fund_reservation() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NOT EXISTS (
        SELECT 1 FROM fund_reservations WHERE opportunity_id = NEW.id AND released_at IS NULL
      ) THEN
        RAISE EXCEPTION 'opportunity % has no section 32 fund reservation', NEW.reference;
      END IF;
      RETURN NEW;
    END $$`);
  await knex.schema.alterTable('opportunities', (t) => {
    t.dropIndex(['cost_centre']);
    t.dropIndex(['repository_url']);
    t.index(['department_id', 'cost_centre']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('opportunities', (t) => {
    t.dropIndex(['department_id', 'cost_centre']);
    t.index(['cost_centre']);
    t.index(['repository_url']);
  });
  await knex.raw(`
    CREATE OR REPLACE FUNCTION require_fund_reservation() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM fund_reservations WHERE opportunity_id = NEW.id) THEN
        RAISE EXCEPTION 'opportunity % has no section 32 fund reservation', NEW.reference;
      END IF;
      RETURN NEW;
    END $$`);
}

import type { Knex } from 'knex';

/** The language of the section 32 attestation the manager read and signed, kept with its wording. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('fund_reservations', (t) => {
    t.text('attestation_language').notNullable().defaultTo('en');
  });
  await knex.raw(
    `ALTER TABLE fund_reservations ADD CONSTRAINT fund_reservations_attestation_language CHECK (attestation_language IN ('en', 'fr'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('fund_reservations', (t) => {
    t.dropColumn('attestation_language');
  });
}

import type { Knex } from 'knex';

/**
 * The language a person wrote a free-text reason in (WCAG 3.1.2, Language of Parts): a page in
 * the other language marks that text with `lang`. Null for the events written before, and for
 * the system's steps. A segregation override keeps its proposer's language, which its
 * confirmation event carries on.
 */
const tables = ['events', 'segregation_overrides'] as const;

export async function up(knex: Knex): Promise<void> {
  for (const table of tables) {
    await knex.schema.alterTable(table, (t) => {
      t.text('reason_lang');
    });
    await knex.raw(
      `ALTER TABLE ${table} ADD CONSTRAINT ${table}_reason_lang CHECK (reason_lang IN ('en', 'fr'))`,
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of tables) {
    await knex.schema.alterTable(table, (t) => {
      t.dropColumn('reason_lang');
    });
  }
}

import type { Knex } from 'knex';

/**
 * An email to a person who chose the language of their emails (a mailing-list subscriber) is
 * sent in that language only; any other carries both, the recipient's first (render.ts).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (t) => {
    t.boolean('language_only').notNullable().defaultTo(false);
  });
  await knex.raw(
    `ALTER TABLE outbox ADD CONSTRAINT outbox_language_only_known CHECK (NOT language_only OR language IS NOT NULL)`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (t) => {
    t.dropColumn('language_only');
  });
}

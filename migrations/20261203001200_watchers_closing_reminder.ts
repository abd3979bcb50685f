import type { Knex } from 'knex';

/** The closing time a watcher was last reminded of: once per closing time, as for drafts. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('watchers', (t) => {
    t.timestamp('reminded_for_closes_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('watchers', (t) => {
    t.dropColumn('reminded_for_closes_at');
  });
}

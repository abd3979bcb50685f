import type { Knex } from 'knex';

/**
 * The daily digest of a person's overdue queue lines (issue 14, item 1): off by default, and the
 * Eastern day it was last sent, so the daily job sends it at most once a day.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.boolean('queue_digest').notNullable().defaultTo(false);
    t.date('queue_digest_sent_on');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('queue_digest_sent_on');
    t.dropColumn('queue_digest');
  });
}

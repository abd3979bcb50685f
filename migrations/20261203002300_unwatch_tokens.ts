import type { Knex } from 'knex';

/**
 * The unwatch links of watchers' emails: one unguessable token per email, stored as its SHA-256
 * only, naming one (opportunity, watcher). Unwatching deletes the watcher row and, with it, every
 * token of that pair, so a used link names no one.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('unwatch_tokens', (t) => {
    t.bigIncrements('id');
    t.bigInteger('opportunity_id').notNullable();
    t.bigInteger('user_id').notNullable();
    t.string('token_hash', 64).notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.foreign(['opportunity_id', 'user_id'])
      .references(['opportunity_id', 'user_id'])
      .inTable('watchers')
      .onDelete('CASCADE');
    t.index(['opportunity_id', 'user_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('unwatch_tokens');
}

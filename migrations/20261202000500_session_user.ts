import type { Knex } from 'knex';

/**
 * Whose session a row is, as a column: ending every session of one person (password reset,
 * account closure) reads an index instead of every session's JSON, and deleting an account
 * takes its sessions with it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sessions', (t) => {
    t.bigInteger('user_id').nullable().references('users.id').onDelete('CASCADE').index();
  });
  await knex.raw(
    `UPDATE sessions SET user_id = users.id FROM users WHERE users.id = (sessions.data->>'userId')::bigint`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sessions', (t) => t.dropColumn('user_id'));
}

import type { Knex } from 'knex';

/**
 * The audit log reads a department's events, or an opportunity's, newest first, a page at a
 * time (src/audit/repo.ts): an index for each, in that order.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX events_department_at ON events (department_id, at DESC, id DESC)');
  await knex.raw('CREATE INDEX events_opportunity_at ON events (opportunity_id, at DESC, id DESC)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX events_opportunity_at');
  await knex.raw('DROP INDEX events_department_at');
}

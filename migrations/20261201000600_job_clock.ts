import type { Knex } from 'knex';

/**
 * The job queue (graphile-worker, migrated by its own runner before these) compares a job's
 * run_at with now(). A session that puts job_clock before pg_catalog in its search_path and sets
 * job_clock.at reads that instant as now(): that is how a test runs the jobs due at its clock's
 * time (src/platform/jobs.ts, runDueJobs). Any other session, and one that sets nothing, keeps
 * the real now().
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE SCHEMA job_clock');
  await knex.raw(`
    CREATE FUNCTION job_clock.now() RETURNS timestamptz LANGUAGE sql STABLE AS $$
      SELECT coalesce(nullif(current_setting('job_clock.at', true), '')::timestamptz, pg_catalog.now())
    $$
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP SCHEMA job_clock CASCADE');
}

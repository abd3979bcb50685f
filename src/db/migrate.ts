import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runMigrations as migrateJobQueue } from 'graphile-worker';
import type { Knex } from 'knex';
import pg from 'pg';
import { connectionStringOf, type Db } from './knex.ts';

// src/db → ../../migrations when run from source; dist/src/db → dist/migrations when built.
const migrationsDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../migrations',
);

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

const migrationSource: Knex.MigrationSource<string> = {
  async getMigrations() {
    const files = await readdir(migrationsDir);
    return files.filter((file) => /^\d{14}_[\w-]+\.(?:ts|js)$/.test(file)).sort();
  },
  getMigrationName: (file) => file.replace(/\.(ts|js)$/, ''),
  async getMigration(file) {
    return (await import(pathToFileURL(path.join(migrationsDir, file)).href)) as Migration;
  },
};

/** Any fixed number: the key of the advisory lock that lets one process migrate at a time. */
const MIGRATION_LOCK = 7_230_411_923;

/**
 * The job queue's schema (graphile-worker's own migrations), then ours; the queue's come first so
 * that a migration of ours may add jobs. Several instances starting at once on a new database
 * take turns under a PostgreSQL advisory lock, held by a connection of its own (so a pool of one
 * still migrates): knex's own lock makes a second process fail, not wait, and its first
 * `create table knex_migrations` fails in both but one. The next finds nothing left to do.
 */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const connectionString = connectionStringOf(db);
  const lock = new pg.Client({ connectionString });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrateJobQueue({ connectionString });
    const [, applied] = (await db.migrate.latest({ migrationSource })) as [number, string[]];
    return applied;
  } finally {
    // Ending the session releases the lock.
    await lock.end();
  }
}

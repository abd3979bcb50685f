import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runMigrations as migrateJobQueue } from 'graphile-worker';
import type { Knex } from 'knex';
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

/**
 * The job queue's schema (graphile-worker's own migrations: each one records itself first, so two
 * processes starting at once apply it once and the other goes on), then ours, under knex's lock.
 * The queue's come first so that a migration of ours may add jobs.
 */
export async function migrateToLatest(db: Db): Promise<string[]> {
  await migrateJobQueue({ connectionString: connectionStringOf(db) });
  const [, applied] = (await db.migrate.latest({ migrationSource })) as [number, string[]];
  return applied;
}

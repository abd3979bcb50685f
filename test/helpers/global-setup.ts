import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createDatabaseIfMissing } from '../../src/db/database.ts';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/db/embedded.ts';
import { abandoned, recoverFromKilledApp } from '../../src/db/embedded-lock.ts';
import { createDb } from '../../src/db/knex.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

export const TEMPLATE_DATABASE = 'marketplace_test_template';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A URL to the server's maintenance database, from which test files clone the template. */
    adminDatabaseUrl: string;
    /** How this run's clones are named, so that its teardown drops those still there. */
    testDatabasePrefix: string;
  }
}

const RUN_FOLDER = 'marketplace-test-pg-';

/**
 * A run killed before its teardown (Ctrl+C twice, a closed terminal) leaves its PostgreSQL and
 * its folder behind. Those whose run is gone are stopped and removed; any other is left alone.
 */
async function clearKilledRuns(): Promise<void> {
  for (const name of await readdir(os.tmpdir()).catch(() => [])) {
    if (!name.startsWith(RUN_FOLDER)) continue;
    const folder = path.join(os.tmpdir(), name);
    try {
      if (!(await abandoned(path.join(folder, 'data'), 60 * 60 * 1000))) continue;
      await recoverFromKilledApp(path.join(folder, 'data'));
      await rm(folder, { recursive: true, force: true });
    } catch {
      // Still in use after all, or not ours to remove.
    }
  }
}

async function dropClones(adminUrl: string, prefix: string): Promise<void> {
  const admin = createDb(adminUrl, 1);
  try {
    const clones: string[] = await admin('pg_database')
      .whereRaw('starts_with(datname, ?)', [prefix])
      .pluck('datname');
    for (const name of clones) await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.destroy();
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * One PostgreSQL server for the whole run (DATABASE_URL's, or an embedded one in a temporary
 * folder), with a template database migrated once; each test file clones it.
 */
export default async function setup(project: TestProject) {
  let embedded: EmbeddedServer | undefined;
  let dataDir: string | undefined;
  let adminUrl: string | undefined;
  const prefix = `test_${randomBytes(3).toString('hex')}_`;
  const teardown = async () => {
    // On DATABASE_URL's server: each worker's last spare clone (database.ts), and the clone of a
    // file that did not drop its own. An embedded server goes with its folder.
    if (adminUrl && !embedded) await dropClones(adminUrl, prefix).catch(() => {});
    await embedded?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
  try {
    if (process.env.DATABASE_URL) {
      adminUrl = process.env.DATABASE_URL;
    } else {
      await clearKilledRuns();
      dataDir = await mkdtemp(path.join(os.tmpdir(), RUN_FOLDER));
      // As root, PostgreSQL runs as the 'postgres' user, which must be able to enter the folder.
      await chmod(dataDir, 0o755);
      embedded = await startEmbeddedPostgres(path.join(dataDir, 'data'), { durable: false });
      adminUrl = embedded.url('postgres');
    }
    const templateUrl = withDatabase(adminUrl, TEMPLATE_DATABASE);
    const admin = createDb(adminUrl, 1);
    await admin.raw(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
    await admin.destroy();
    await createDatabaseIfMissing(adminUrl, TEMPLATE_DATABASE);
    const template = createDb(templateUrl, 1);
    await migrateToLatest(template);
    await template.destroy();
    project.provide('adminDatabaseUrl', adminUrl);
    project.provide('testDatabasePrefix', prefix);
  } catch (error) {
    // Vitest runs no teardown for a set-up that failed: nothing may be left running.
    await teardown();
    throw error;
  }
  return teardown;
}

import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createDatabaseIfMissing } from '../../src/db/database.ts';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/db/embedded.ts';
import { createDb } from '../../src/db/knex.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

export const TEMPLATE_DATABASE = 'marketplace_test_template';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A URL to the server's maintenance database, from which test files clone the template. */
    adminDatabaseUrl: string;
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
  let adminUrl: string;
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'marketplace-test-pg-'));
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

  return async () => {
    await embedded?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
}

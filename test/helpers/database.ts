import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createDb, type Db } from '../../src/db/knex.ts';

const TEMPLATE_DATABASE = 'marketplace_test_template';

export interface TestDatabase {
  db: Db;
  url: string;
  drop(): Promise<void>;
}

function urlOf(database: string): string {
  const url = new URL(inject('adminDatabaseUrl'));
  url.pathname = `/${database}`;
  return url.toString();
}

/** Clones the migrated template under a new name (a few hundred milliseconds); its name. */
async function cloneTemplate(): Promise<string> {
  const name = `${inject('testDatabasePrefix')}${randomBytes(6).toString('hex')}`;
  const admin = createDb(inject('adminDatabaseUrl'), 1);
  try {
    await admin.raw(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.destroy();
  }
  return name;
}

/**
 * The clone the next test file of this worker will get, made while the current file runs (the
 * files of a worker share this module: isolate is off). The one left at the end of the run is
 * dropped by the global teardown, with the rest of the run's databases.
 */
let spare: Promise<string | undefined> | undefined;

/** A fresh database cloned from the migrated template, for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = (await spare) ?? (await cloneTemplate());
  spare = cloneTemplate().catch(() => undefined);
  const db = createDb(urlOf(name), 5);
  return {
    db,
    url: urlOf(name),
    async drop() {
      await db.destroy();
      const admin = createDb(inject('adminDatabaseUrl'), 1);
      // A job runner's pool may still be closing its connections: give them a moment to leave
      // on their own, since a connection killed while it closes is an uncaught error in the file.
      for (let wait = 0; wait < 20; wait += 1) {
        const others = await admin.raw(
          'select count(*)::int as n from pg_stat_activity where datname = ? and pid <> pg_backend_pid()',
          [name],
        );
        if (others.rows[0].n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.destroy();
    },
  };
}

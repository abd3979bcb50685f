import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createDb, type Db } from '../../src/db/knex.ts';

const TEMPLATE_DATABASE = 'marketplace_test_template';

export interface TestDatabase {
  db: Db;
  url: string;
  drop(): Promise<void>;
}

/** A fresh database cloned from the migrated template (milliseconds), for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = createDb(adminUrl, 1);
  await admin.raw(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), 5);
  return {
    db,
    url: url.toString(),
    async drop() {
      await db.destroy();
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

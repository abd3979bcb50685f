import { afterAll, beforeAll } from 'vitest';
import type { Role } from '../../src/platform/roles.ts';
import { createTestApp, type TestApp } from './app.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { insertDepartment } from './fixtures.ts';
import { insertPerson, signIn, type Grant } from './people.ts';

/**
 * The administrators of the admin screens' tests: ESDC's two department administrators and
 * TBS's one, a client of each, and the platform administrator; each department invites at its
 * own email domain. Each test file calling this gets its own
 * database and app.
 */
export const PASSWORD = 'admin screen passphrase';
export const ESDC_STAFF = '/en/admin/departments/esdc/staff';
export const ESDC_STAFF_FR = '/fr/admin/ministeres/esdc/personnel';

export function adminWorld() {
  const w = {
    // Set before the tests run (beforeAll below).
    database: undefined as unknown as TestDatabase,
    t: undefined as unknown as TestApp,
    esdc: 0,
    tbs: 0,
    ids: {} as Record<string, number>,
    signedIn: (email: string) => signIn(w.t.app, email, PASSWORD),
    events: () => w.database.db('events').orderBy('id').select(),
    activeGrant: (userId: number, role: Role, department: number) =>
      w.database
        .db('role_grants')
        .where({ user_id: userId, role, department_id: department })
        .whereNull('revoked_at')
        .first(),
  };
  const insertStaff = (email: string, grants: Grant[]) =>
    insertPerson(w.database.db, {
      email,
      password: PASSWORD,
      grants,
      confirmedAt: w.t.clock.now(),
    });

  beforeAll(async () => {
    w.database = await createTestDatabase();
    w.t = await createTestApp(w.database.db);
    const esdc = (w.esdc = await insertDepartment(w.database.db));
    const tbs = (w.tbs = await insertDepartment(w.database.db, { en: 'TBS', fr: 'SCT' }));
    // Where each department invites its staff (the platform administrators' setting).
    await w.database
      .db('departments')
      .where({ id: esdc })
      .update({ email_domains: ['esdc.example.ca'] });
    await w.database
      .db('departments')
      .where({ id: tbs })
      .update({ email_domains: ['tbs.example.ca'] });
    const { ids } = w;
    ids.esdcAdmin = await insertStaff('admin@esdc.example.ca', [
      { role: 'department_admin', department: esdc },
    ]);
    // A second one: the grants that take two administrators need them both.
    ids.esdcAdmin2 = await insertStaff('admin2@esdc.example.ca', [
      { role: 'department_admin', department: esdc },
    ]);
    ids.esdcClient = await insertStaff('client@esdc.example.ca', [
      { role: 'client', department: esdc },
    ]);
    ids.tbsAdmin = await insertStaff('admin@tbs.example.ca', [
      { role: 'department_admin', department: tbs },
    ]);
    ids.tbsClient = await insertStaff('client@tbs.example.ca', [
      { role: 'client', department: tbs },
    ]);
    ids.platform = await insertStaff('platform@example.ca', [
      { role: 'platform_admin', department: null },
    ]);
  });

  afterAll(async () => {
    await w.database.drop();
  });

  return w;
}

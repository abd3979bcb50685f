import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment } from '../helpers/fixtures.ts';
import { insertPerson, signIn } from '../helpers/people.ts';
import { aScreenedRequest } from '../helpers/scenarios.ts';

/**
 * Review H2, its last point: segregation of duties compares accounts, so the section 32 page
 * flags a request whose requester the approving manager brought into the department (the sock
 * puppet: an administrator who also approves funds invites a second account of their own).
 */
const PASSWORD = 'brought in passphrase';
let database: TestDatabase;
let t: TestApp;
let reference = '';

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  const esdc = await insertDepartment(db);
  await db('departments')
    .where({ id: esdc })
    .update({ email_domains: ['esdc.example.ca'] });
  t = await createTestApp(db);
  const staff = (email: string, roles: ('department_admin' | 'section32_manager')[]) =>
    insertPerson(db, {
      email,
      password: PASSWORD,
      confirmedAt: t.clock.now(),
      grants: roles.map((role) => ({ role, department: esdc, limitCents: 1_000_000 })),
    });
  await staff('insider@esdc.example.ca', ['department_admin', 'section32_manager']);
  await staff('other.manager@esdc.example.ca', ['section32_manager']);
  const insider = await signIn(t.app, 'insider@esdc.example.ca', PASSWORD);
  const invited = await insider.post(url('adminStaff', { dept: 'esdc' }, 'en'), {
    action: 'invite',
    inviteEmail: 'second.account@esdc.example.ca',
    inviteLanguage: 'en',
    inviteRole: 'client',
  });
  expect(invited.status).toBe(303);
  const puppet = await db('users').where({ email: 'second.account@esdc.example.ca' }).first();
  reference = (await aScreenedRequest(t, { department: esdc, requester: puppet.id })).reference;
});

afterAll(async () => {
  await database.drop();
});

describe('the section 32 page', () => {
  it('tells the manager who gave the requester their role, in both languages, and nobody else', async () => {
    const insider = await signIn(t.app, 'insider@esdc.example.ca', PASSWORD);
    const en = await insider.client.get(url('approveFunds', { ref: reference }, 'en')).expect(200);
    expect(en.text).toContain('You gave the requester of this request a role in the department');
    const fr = await insider.client.get(url('approveFunds', { ref: reference }, 'fr')).expect(200);
    expect(fr.text).toContain('La séparation des tâches distingue les comptes, pas les personnes');
    const other = await signIn(t.app, 'other.manager@esdc.example.ca', PASSWORD);
    const page = await other.client.get(url('approveFunds', { ref: reference }, 'en')).expect(200);
    expect(page.text).not.toContain('id="brought-in"');
    expect(t.missingKeys).toEqual([]);
  });
});

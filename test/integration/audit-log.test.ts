import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { aSubmittedApplication, aSupplier } from '../helpers/applicants.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment } from '../helpers/fixtures.ts';
import { insertPerson, signIn } from '../helpers/people.ts';
import { aPublishedOpportunity } from '../helpers/scenarios.ts';
import { appendEvent } from '../../src/admin/repo.ts';

/**
 * Issue 14 item 5: the audit log of a department and of an opportunity, for the department's
 * administrators and the platform administrators: who, what, when, from and to, reason;
 * filters by person, action and dates, validated; pages; CSV. Department staff never read a
 * supplier's identity.
 */
let database: TestDatabase;
let t: TestApp;
let reference = '';
const PASSWORD = 'audit log passphrase';
const SUPPLIER = 'sasha.secret@suppliers.example.com';
const LOG = '/en/admin/departments/esdc/audit-log';
const LOG_FR = '/fr/admin/ministeres/esdc/journal-audit';
let ids: Record<string, number> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  const esdc = await insertDepartment(database.db);
  const tbs = await insertDepartment(database.db, { en: 'TBS', fr: 'SCT' });
  const staff = (email: string, grants: Parameters<typeof insertPerson>[1]['grants']) =>
    insertPerson(database.db, { email, password: PASSWORD, grants, confirmedAt: t.clock.now() });
  ids = {
    admin: await staff('admin@esdc.example.ca', [{ role: 'department_admin', department: esdc }]),
    client: await staff('client@esdc.example.ca', [{ role: 'client', department: esdc }]),
    tbsAdmin: await staff('admin@tbs.example.ca', [{ role: 'department_admin', department: tbs }]),
    platform: await staff('platform@example.ca', [{ role: 'platform_admin', department: null }]),
  };
  const opportunity = await aPublishedOpportunity(t, { department: esdc, requester: ids.client });
  reference = opportunity.reference;
  ids.supplier = await aSupplier(t, SUPPLIER);
  await aSubmittedApplication(t, opportunity, ids.supplier);
});

afterAll(async () => {
  await database.drop();
});

const as = (email: string) => signIn(t.app, email, PASSWORD);

describe('who reads the audit log', () => {
  it('the department’s administrators and the platform administrators; no one else', async () => {
    expect((await (await as('admin@esdc.example.ca')).client.get(LOG)).status).toBe(200);
    expect((await (await as('platform@example.ca')).client.get(LOG)).status).toBe(200);
    // The department's client: a 403 (their own department); another department's admin: 404.
    expect((await (await as('client@esdc.example.ca')).client.get(LOG)).status).toBe(403);
    expect((await (await as('admin@tbs.example.ca')).client.get(LOG)).status).toBe(404);
    const opportunityLog = `/en/admin/opportunities/${reference}/audit-log`;
    expect((await (await as('admin@esdc.example.ca')).client.get(opportunityLog)).status).toBe(200);
    expect((await (await as('admin@tbs.example.ca')).client.get(opportunityLog)).status).toBe(404);
    expect((await (await as('admin@tbs.example.ca')).client.get(`${LOG}.csv`)).status).toBe(404);
  });
});

describe('the department’s log', () => {
  it('lists who, what, from and to; the supplier is “a supplier” to department staff', async () => {
    const admin = await as('admin@esdc.example.ca');
    const res = await admin.client.get(LOG);
    expect(res.text).toContain(reference);
    expect(res.text).toContain('client@esdc.example.ca');
    expect(res.text).not.toContain('sasha.secret');
    expect(res.text).toContain('A supplier');
    expect(res.text).toContain('<code>submit</code>');
    // Nor can the supplier be picked as a person.
    const picked = await admin.client.get(`${LOG}?person=${ids.supplier}`);
    expect(picked.status).toBe(400);
    expect(picked.text).toContain('Choose a person from the list.');
    // A platform administrator reads who the supplier is.
    const platform = await (await as('platform@example.ca')).client.get(LOG);
    expect(platform.text).toContain('sasha.secret@suppliers.example.com');
  });

  it('filters by person, action and dates', async () => {
    const admin = await as('admin@esdc.example.ca');
    const byClient = await admin.client.get(`${LOG}?person=${ids.client}&action=submit`);
    expect(byClient.status).toBe(200);
    const all = await database.db('events').where({ actor_id: ids.client, action: 'submit' });
    expect(all.length).toBeGreaterThan(0);
    expect(byClient.text).toContain(`${all.length} event`);
    expect(byClient.text).not.toContain('A supplier');
    const future = await admin.client.get(`${LOG}?from=2099-01-01`);
    expect(future.text).toContain('0 events.');
  });

  it('refuses bad filters in the page’s language, with what was typed', async () => {
    const admin = await as('admin@esdc.example.ca');
    const en = await admin.client.get(`${LOG}?from=2026-02-30&to=2026-01-01`);
    expect(en.status).toBe(400);
    expect(en.text).toContain('Enter a real date as year-month-day');
    expect(en.text).toContain('value="2026-02-30"');
    const range = await admin.client.get(`${LOG}?from=2026-03-01&to=2026-01-01`);
    expect(range.text).toContain('The end date must be on or after the start date.');
    const fr = await admin.client.get(`${LOG_FR}?person=${'9'.repeat(40)}&page=0`);
    expect(fr.status).toBe(400);
    expect(fr.text).toContain('Choisissez une personne dans la liste.');
    expect(fr.text).toContain('Ce numéro de page n’existe pas.');
  });

  it('exports the filtered events as CSV, the supplier hidden the same way', async () => {
    const admin = await as('admin@esdc.example.ca');
    const res = await admin.client.get(`${LOG}.csv`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const rows: string[][] = parseCsv(res.text, { bom: true });
    expect(rows[0]).toEqual([
      'When',
      'Who',
      'Action code',
      'What',
      'Opportunity',
      'From',
      'To',
      'Reason',
    ]);
    const count = await database.db('events').count<{ n: string }[]>({ n: '*' }).first();
    expect(rows.length - 1).toBe(Number(count!.n) - 0);
    expect(res.text).not.toContain('sasha.secret');
    expect(rows.some((r) => r[1] === 'A supplier' && r[2] === 'submit')).toBe(true);
    const fr = await admin.client.get(`/fr/admin/ministeres/esdc/journal-audit.csv?action=submit`);
    const frRows: string[][] = parseCsv(fr.text, { bom: true });
    expect(frRows[0]![0]).toBe('Quand');
    expect(frRows.slice(1).every((r) => r[2] === 'submit')).toBe(true);
  });

  it('shows 50 events a page, newest first, with links that keep the filters', async () => {
    const esdc = Number(
      (await database.db('departments').where({ acronym_en: 'ESDC' }).first('id')).id,
    );
    // 55 settings changes of the administrator's, recorded as the settings form records them.
    await database.db.transaction(async (trx) => {
      for (let i = 0; i < 55; i++) {
        await appendEvent(trx, {
          entityType: 'department',
          entityId: esdc,
          action: 'update_settings',
          actorId: ids.admin!,
          payload: { changes: { nameEn: { from: `Name ${i}`, to: `Name ${i + 1}` } } },
          at: new Date(t.clock.now().getTime() + (i + 1) * 1000),
        });
      }
    });
    const admin = await as('admin@esdc.example.ca');
    const first = await admin.client.get(`${LOG}?action=update_settings`);
    expect(first.text).toContain('55 events. Page 1 of 2.');
    expect(first.text.match(/<code>update_settings<\/code>/g)).toHaveLength(50);
    expect(first.text).toContain(`href="${LOG}?action=update_settings&amp;page=2"`);
    const second = await admin.client.get(`${LOG}?action=update_settings&page=2`);
    expect(second.text.match(/<code>update_settings<\/code>/g)).toHaveLength(5);
    expect(second.text).toContain(`href="${LOG}?action=update_settings"`);
  });
});

import type { Express } from 'express';
import { parse } from 'node-html-parser';
import { afterAll, beforeAll, expect } from 'vitest';
import type { OutboxRow } from '../../src/platform/mail/outbox.ts';
import type { Role } from '../../src/platform/roles.ts';
import { createTestApp, type TestApp } from './app.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { insertDepartment } from './fixtures.ts';
import { insertPerson, signIn, type SignedIn } from './people.ts';
import { aClosedOpportunity, aPublishedOpportunity } from './scenarios.ts';

/**
 * The world of the questions and addenda tests: three ESDC opportunities published through the
 * lifecycle — MA-2026-0001 open until December 4, 2026 at 14:00 Eastern, MA-2026-0002 closed on
 * November 20, MA-2026-0003 closing on November 27 — two suppliers, ESDC's requester, program
 * officer and another client, and a client of TBS.
 */
const PASSWORD = 'questions and addenda 2026';
export const REF = 'MA-2026-0001';
export const PAGE_EN = `/en/opportunities/${REF}`;
export const PAGE_FR = `/fr/occasions/${REF}`;
export const ANSWERS_EN = `/en/requests/${REF}/questions`;
export const ANSWERS_FR = `/fr/demandes-d-occasion/${REF}/questions`;
export const ADDENDUM_EN = `/en/requests/${REF}/addendum`;
// The open opportunity's deadline: December 4, 2026 at 14:00 Eastern (EST).
export const CLOSES_AT = '2026-12-04T19:00:00.000Z';

export function questionsWorld() {
  const w = {
    // Set before the tests run (beforeAll below).
    database: undefined as unknown as TestDatabase,
    t: undefined as unknown as TestApp,
    ids: {} as Record<string, number>,
    signedIn: (email: string, app?: Express): Promise<SignedIn> =>
      signIn(app ?? w.t.app, email, PASSWORD),
    outbox: (template: string): Promise<OutboxRow[]> =>
      w.database.db('outbox').where({ template }).orderBy('id'),
    eventsOf: (action: string) => w.database.db('events').where({ action }).orderBy('id').select(),
    questionRows: () => w.database.db('questions').orderBy('id').select(),
    opportunityRow: (reference = REF) =>
      w.database.db('opportunities').where({ reference }).first(),
  };

  const user = (
    email: string,
    kind: 'supplier' | 'staff',
    options: { name?: string; language?: 'en' | 'fr'; role?: Role; department?: number } = {},
  ) => {
    const { name = '', language, role, department = null } = options;
    return insertPerson(w.database.db, {
      email,
      kind,
      name,
      language,
      password: PASSWORD,
      grants: role ? [{ role, department }] : [],
      confirmedAt: w.t.clock.now(),
    });
  };

  beforeAll(async () => {
    w.database = await createTestDatabase();
    w.t = await createTestApp(w.database.db);
    const { ids, t } = w;
    const esdc = await insertDepartment(w.database.db);
    const tbs = await insertDepartment(w.database.db, { en: 'TBS', fr: 'SCT' });
    ids.supplier = await user('sophie.fournier@example.com', 'supplier', {
      name: 'Sophie Fournier',
      language: 'fr',
    });
    ids.watcher = await user('watcher@example.com', 'supplier', { name: 'Wendy Watcher' });
    ids.requester = await user('client@esdc.example.ca', 'staff', {
      role: 'client',
      department: esdc,
    });
    ids.officer = await user('officer@esdc.example.ca', 'staff', {
      role: 'program_officer',
      department: esdc,
    });
    ids.tbsClient = await user('client@tbs.example.ca', 'staff', {
      role: 'client',
      department: tbs,
    });
    ids.colleague = await user('colleague@esdc.example.ca', 'staff', {
      role: 'client',
      department: esdc,
    });
    const ours = { department: esdc, requester: ids.requester, officer: ids.officer };
    const open = await aPublishedOpportunity(t, {
      ...ours,
      opensAt: '2026-11-16T19:00:00Z',
      closesAt: CLOSES_AT,
    });
    const closed = await aClosedOpportunity(t, {
      ...ours,
      opensAt: '2026-11-02T14:00:00Z',
      closesAt: '2026-11-20T19:00:00Z',
    });
    const closingSoon = await aPublishedOpportunity(t, {
      ...ours,
      closesAt: '2026-11-27T19:00:00Z',
    });
    // The pages below are named by these references: the year's first three requests.
    expect([open, closed, closingSoon].map((o) => o.reference)).toEqual([
      REF,
      'MA-2026-0002',
      'MA-2026-0003',
    ]);
    ids.opportunity = open.id;
    ids.closed = closed.id;
    ids.closingSoon = closingSoon.id;
  });

  afterAll(async () => {
    await w.database.drop();
  });

  return w;
}

/** The text a person reads in the page's main part, on one line. */
export const mainText = (html: string) =>
  parse(html).querySelector('main')?.text.replace(/\s+/g, ' ') ?? '';

/** Every page of both features in both languages, and every email queued, with no missing key. */
export async function expectEveryPageTranslated(w: ReturnType<typeof questionsWorld>) {
  const officer = await w.signedIn('officer@esdc.example.ca');
  for (const path of [
    ANSWERS_EN,
    ANSWERS_FR,
    ADDENDUM_EN,
    `/fr/demandes-d-occasion/${REF}/addenda`,
    PAGE_EN,
    PAGE_FR,
  ]) {
    await officer.client.get(path).expect(200);
  }
  const supplier = await w.signedIn('sophie.fournier@example.com');
  for (const path of [PAGE_EN, PAGE_FR, '/en/opportunities/MA-2026-0002']) {
    await supplier.client.get(path).expect(200);
  }
  for (const row of await w.database.db('outbox').select()) {
    w.t.deps.emailRenderer.render(row.template, row.language, row.data);
  }
  expect(w.t.missingKeys).toEqual([]);
}

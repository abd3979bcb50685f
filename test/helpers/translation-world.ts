import { parse } from 'node-html-parser';
import { afterAll, beforeAll, expect } from 'vitest';
import type { OutboxRow } from '../../src/platform/mail/outbox.ts';
import { createTestApp, type TestApp } from './app.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { insertDepartment } from './fixtures.ts';
import { insertPerson, signIn, type Grant, type SignedIn } from './people.ts';

/**
 * The people of the translation, preview and publishing tests: ESDC's client (the requester),
 * a colleague, a program officer and a section 32 manager, and TBS's client and officer, each
 * signed in once. Each test file calling this gets its own database and app.
 */
export const PASSWORD = 'translation passphrase';

export const translationPath = (reference: string, lang: 'en' | 'fr' = 'en') =>
  lang === 'en'
    ? `/en/requests/${reference}/translation`
    : `/fr/demandes-d-occasion/${reference}/traduction`;
export const publishPath = (reference: string) => `/en/requests/${reference}/publish`;

export function translationWorld() {
  const w = {
    // Set before the tests run (beforeAll below).
    database: undefined as unknown as TestDatabase,
    t: undefined as unknown as TestApp,
    esdc: 0,
    ids: {} as Record<string, number>,
    signedInAs: {} as Record<string, SignedIn>,
    row: (id: number) => w.database.db('opportunities').where({ id }).first(),
    eventsOf: (id: number, action: string) =>
      w.database.db('events').where({ entity_type: 'opportunity', entity_id: id, action }),
    outbox: (template: string): Promise<OutboxRow[]> =>
      w.database.db('outbox').where({ template }).orderBy('id'),
    /** Every text field of the editor as the page shows it, to send back with some changes. */
    async editorForm(a: SignedIn, reference: string) {
      const page = parse((await a.client.get(translationPath(reference)).expect(200)).text);
      const form: Record<string, string> = {};
      for (const area of page.querySelectorAll('form#translation-form textarea')) {
        form[area.getAttribute('name')!] = area.textContent;
      }
      form.version = page.querySelector('input[name="version"]')!.getAttribute('value')!;
      return form;
    },
  };

  const staff = (email: string, grants: Grant[]) =>
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
    const tbs = await insertDepartment(w.database.db, { en: 'TBS', fr: 'SCT' });
    const { ids } = w;
    ids.client = await staff('client@esdc.example.ca', [{ role: 'client', department: esdc }]);
    ids.officer = await staff('officer@esdc.example.ca', [
      { role: 'program_officer', department: esdc },
    ]);
    ids.manager = await staff('manager@esdc.example.ca', [
      { role: 'section32_manager', department: esdc, limitCents: 1_000_000 },
    ]);
    ids.colleague = await staff('colleague@esdc.example.ca', [
      { role: 'client', department: esdc },
    ]);
    ids.tbsClient = await staff('client@tbs.example.ca', [{ role: 'client', department: tbs }]);
    ids.tbsOfficer = await staff('officer@tbs.example.ca', [
      { role: 'program_officer', department: tbs },
    ]);
    for (const name of [
      'client@esdc',
      'colleague@esdc',
      'officer@esdc',
      'client@tbs',
      'officer@tbs',
    ]) {
      w.signedInAs[name] = await signIn(w.t.app, `${name}.example.ca`, PASSWORD);
    }
  });

  afterAll(async () => {
    expect(w.t.missingKeys).toEqual([]);
    await w.database.drop();
  });

  return w;
}

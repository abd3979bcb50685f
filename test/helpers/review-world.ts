import { afterAll, beforeAll } from 'vitest';
import type { OutboxRow } from '../../src/platform/mail/outbox.ts';
import { createTestApp, type TestApp } from './app.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { insertDepartment } from './fixtures.ts';
import { insertPerson, signIn, type Grant, type SignedIn } from './people.ts';

/**
 * The staff of the request-review tests (screening, section 32, cancellation, queues): two
 * departments, ESDC with a person for each role and the people who hold two, and TBS. Each test
 * file calling this gets its own database and app, set up before its tests.
 */
const PASSWORD = 'request review passphrase';

export const requestPath = (ref: string, lang: 'en' | 'fr' = 'en') =>
  lang === 'en' ? `/en/requests/${ref}` : `/fr/demandes-d-occasion/${ref}`;
export const screenPath = (ref: string) => `/en/requests/${ref}/screening`;
export const section32Path = (ref: string, lang: 'en' | 'fr' = 'en') =>
  lang === 'en' ? `/en/requests/${ref}/section-32` : `/fr/demandes-d-occasion/${ref}/article-32`;
export const cancelPath = (ref: string) => `/en/requests/${ref}/cancel`;
export const releasePath = (ref: string) => `/en/requests/${ref}/release-funds`;

export function reviewWorld() {
  const signedIn = new Map<string, SignedIn>();
  const w = {
    // Set before the tests run (beforeAll below).
    database: undefined as unknown as TestDatabase,
    t: undefined as unknown as TestApp,
    esdc: 0,
    tbs: 0,
    ids: {} as Record<string, number>,
    /** Signed in as the person `<name>@example.gc.ca`, once per file. */
    async as(name: string): Promise<SignedIn> {
      const existing = signedIn.get(name);
      if (existing) return existing;
      const a = await signIn(w.t.app, `${name}@example.gc.ca`, PASSWORD);
      signedIn.set(name, a);
      return a;
    },
    opportunity: (id: number) => w.database.db('opportunities').where({ id }).first(),
    eventsOf: (id: number) =>
      w.database.db('events').where({ entity_type: 'opportunity', entity_id: id }).orderBy('id'),
    outboxOf: (template: string): Promise<OutboxRow[]> =>
      w.database.db('outbox').where({ template }).orderBy('id'),
    reservationsOf: (id: number) =>
      w.database.db('fund_reservations').where({ opportunity_id: id }),
    /** The version a page shows, as the form sends it. */
    version: async (id: number) => String((await w.opportunity(id)).version),
  };

  const staff = async (name: string, grants: Grant[], language: 'en' | 'fr' = 'en') => {
    w.ids[name] = await insertPerson(w.database.db, {
      email: `${name}@example.gc.ca`,
      password: PASSWORD,
      language,
      grants,
      confirmedAt: w.t.clock.now(),
    });
  };

  beforeAll(async () => {
    w.database = await createTestDatabase();
    w.t = await createTestApp(w.database.db);
    const esdc = (w.esdc = await insertDepartment(w.database.db));
    const tbs = (w.tbs = await insertDepartment(w.database.db, { en: 'TBS', fr: 'SCT' }));
    await staff('client', [{ role: 'client', department: esdc }]);
    await staff('colleague', [{ role: 'client', department: esdc }]);
    await staff('officer', [{ role: 'program_officer', department: esdc }]);
    await staff('agente', [{ role: 'program_officer', department: esdc }], 'fr');
    // A program officer who also requests purchases: never approves their own splitting.
    await staff('officer-client', [
      { role: 'program_officer', department: esdc },
      { role: 'client', department: esdc },
    ]);
    await staff('low-limit', [
      { role: 'section32_manager', department: esdc, limitCents: 500_000 },
    ]);
    await staff('manager', [
      { role: 'section32_manager', department: esdc, limitCents: 1_000_000 },
    ]);
    // A section 32 manager who is also a client: never approves their own request.
    await staff('manager-client', [
      { role: 'section32_manager', department: esdc, limitCents: 1_000_000 },
      { role: 'client', department: esdc },
    ]);
    await staff('finance', [{ role: 'finance_officer', department: esdc }]);
    await staff('tbs-client', [{ role: 'client', department: tbs }]);
    await staff('tbs-officer', [{ role: 'program_officer', department: tbs }]);
    // Requests purchases too: their own requests never wait in their own queue.
    await staff('tbs-manager', [
      { role: 'section32_manager', department: tbs, limitCents: 1_000_000 },
      { role: 'client', department: tbs },
    ]);
    await staff('tbs-finance', [{ role: 'finance_officer', department: tbs }]);
  });

  afterAll(async () => {
    await w.database.drop();
  });

  return w;
}

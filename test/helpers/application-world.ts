import { parse } from 'node-html-parser';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Lang } from '../../src/platform/i18n.ts';
import type { OutboxRow } from '../../src/platform/mail/outbox.ts';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from './app.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { insertDepartment } from './fixtures.ts';
import { insertPerson, signIn, type SignedIn } from './people.ts';
import { aPublishedOpportunity, type Scenario } from './scenarios.ts';

/**
 * The world of the applying tests: one ESDC opportunity published through the lifecycle, open
 * until December 4, 2026 at 14:00 Eastern, with two mandatory criteria; suppliers whose profile
 * says how they can be paid (one without); ESDC's requester (a client) who reads the staff page.
 */
const PASSWORD = 'applying before the deadline 2026';
export const CLOSES_AT = '2026-12-04T19:00:00.000Z';
const SECOND_MS = 1000;
export const beforeClosing = (ms: number) => new Date(Date.parse(CLOSES_AT) - ms);
export const afterClosing = (ms: number) => new Date(Date.parse(CLOSES_AT) + ms);
export const ONE_SECOND = SECOND_MS;

export function applicationWorld() {
  const w = {
    database: undefined as unknown as TestDatabase,
    t: undefined as unknown as TestApp,
    opportunity: undefined as unknown as Scenario,
    ids: {} as Record<string, number>,
    criteria: [] as { id: number; version: number }[],
    signedIn: (email: string, lang: Lang = 'en'): Promise<SignedIn> =>
      signIn(w.t.app, email, PASSWORD, lang),
    outbox: (template: string): Promise<OutboxRow[]> =>
      w.database.db('outbox').where({ template }).orderBy('id'),
    opportunityPage: (lang: Lang = 'en') =>
      url('opportunity', { ref: w.opportunity.reference }, lang),
    applicationPage: (id: number, lang: Lang = 'en') => url('application', { id }, lang),
    /** Every field of a complete application, as the form posts it. */
    completeForm(overrides: Record<string, string> = {}): Record<string, string> {
      const form: Record<string, string> = {
        majority: 'yes',
        workStatus: 'citizen',
        publicServant: 'no',
        formerPublicServant: 'no',
        conflict: 'no',
      };
      w.criteria.forEach((c, index) => {
        form[`answer_${c.id}`] = `My answer to criterion ${index + 1}: I merged pull requests.`;
        form[`links_${c.id}`] = `https://github.com/example/pull/${index + 1}`;
      });
      return { ...form, ...overrides };
    },
    /** "Apply" on the opportunity page: the application's id, from the page it opens. */
    async apply(supplier: SignedIn, lang: Lang = 'en'): Promise<number> {
      const res = await supplier.post(
        url('apply', { ref: w.opportunity.reference }, lang),
        {},
        w.opportunityPage(lang),
      );
      expect(res.status, res.text).toBe(303);
      const id = Number(res.headers.location!.split('/').pop());
      expect(id).toBeGreaterThan(0);
      return id;
    },
    /** The version the application page shows, as its forms post it back. */
    async versionShown(supplier: SignedIn, id: number, lang: Lang = 'en'): Promise<string> {
      const page = await supplier.client.get(w.applicationPage(id, lang)).expect(200);
      return parse(page.text).querySelector('input[name="version"]')!.getAttribute('value')!;
    },
    /** One press of a button on the application page, the page loaded first (its token). */
    async act(
      supplier: SignedIn,
      id: number,
      action: string,
      form: Record<string, string> = {},
      lang: Lang = 'en',
    ) {
      const version = await w.versionShown(supplier, id, lang);
      return supplier.post(w.applicationPage(id, lang), { ...form, action, version });
    },
    applicationRow: (id: number) => w.database.db('applications').where({ id }).first(),
    /** Sets the test clock (the app reads it once per request). */
    at: (when: Date | string) => w.t.clock.set(when),
  };

  const supplier = async (email: string, payment: { card?: boolean; paypal?: boolean } = {}) => {
    const id = await insertPerson(w.database.db, {
      email,
      kind: 'supplier',
      password: PASSWORD,
      confirmedAt: w.t.clock.now(),
    });
    await w.database.db('supplier_profiles').insert({
      user_id: id,
      legal_name: email.split('@')[0],
      accepts_card: payment.card ?? true,
      paypal_email: payment.paypal ? email : null,
    });
    return id;
  };

  beforeAll(async () => {
    w.database = await createTestDatabase();
    w.t = await createTestApp(w.database.db);
    const department = await insertDepartment(w.database.db);
    w.ids.requester = await insertPerson(w.database.db, {
      email: 'client@esdc.example.ca',
      password: PASSWORD,
      confirmedAt: w.t.clock.now(),
      grants: [{ role: 'client', department }],
    });
    w.ids.officer = await insertPerson(w.database.db, {
      email: 'officer@esdc.example.ca',
      password: PASSWORD,
      confirmedAt: w.t.clock.now(),
      grants: [{ role: 'program_officer', department }],
    });
    w.opportunity = await aPublishedOpportunity(w.t, {
      department,
      requester: w.ids.requester,
      officer: w.ids.officer,
      closesAt: CLOSES_AT,
    });
    w.criteria = await w.database
      .db('mandatory_criteria')
      .where({ opportunity_id: w.opportunity.id })
      .orderBy('position')
      .select('id', 'version');
    w.ids.sophie = await supplier('sophie@example.com');
    w.ids.marc = await supplier('marc@example.com', { card: false, paypal: true });
    w.ids.nopay = await supplier('nopay@example.com', { card: false });
    for (let n = 1; n <= 6; n += 1) w.ids[`s${n}`] = await supplier(`s${n}@example.com`);
  });
  afterAll(async () => {
    await w.database?.drop();
  });
  return w;
}

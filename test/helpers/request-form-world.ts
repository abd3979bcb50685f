import { afterAll, beforeAll, expect } from 'vitest';
import type { Lang } from '../../src/platform/i18n.ts';
import type { OutboxRow } from '../../src/platform/mail/outbox.ts';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from './app.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { insertDepartment } from './fixtures.ts';
import { errorsOf, fieldValue } from './pages.ts';
import { insertPerson, signIn, type Grant, type SignedIn } from './people.ts';

/**
 * The clients and program officers of the request form's tests (ESDC, TBS, and a client of both),
 * and the form driven the way a person fills it in. Each test file calling this gets its own
 * database and app.
 */
const PASSWORD = 'request form passphrase';

export const stepPath = (ref: string, step: number, lang: Lang = 'en') =>
  url('requestStep', { ref, step }, lang);
export const reviewPath = (ref: string, lang: Lang = 'en') => url('requestReview', { ref }, lang);

export interface Answers {
  1: Record<string, string>;
  2: Record<string, string>;
  3: Record<string, string>;
  4: Record<string, string>;
  5: Record<string, string>;
}

export const english = (repository: string, overrides: Partial<Answers> = {}): Answers => ({
  1: {
    title: 'Add French messages to the form validator',
    summary: 'The validator only speaks English; add French messages.',
    description: '### Background\n\nThe validator only speaks **English**.',
  },
  2: { repositoryUrl: repository, licence: 'MIT', skills: 'TypeScript\n\nAccessibility\n' },
  3: {
    acceptanceCriteria: 'All existing tests pass\nEvery message exists in French',
    mandatoryCriteria: 'A merged pull request in TypeScript',
  },
  4: {
    price: '6,500.00',
    deliveryDueOn: '2027-01-29',
    preferredOpensOn: '',
    preferredClosesOn: '',
  },
  5: { costCentre: '100235', fund: '1000', glAccount: '52202', paymentMethod: 'paypal_payout' },
  ...overrides,
});

/** Saves every step with "Save and continue", checking each goes on to the next page. */
export async function walk(a: SignedIn, ref: string, answers: Answers, lang: Lang = 'en') {
  for (const step of [1, 2, 3, 4, 5] as const) {
    const res = await a.post(stepPath(ref, step, lang), { ...answers[step], then: 'continue' });
    expect(res.status, `step ${step}: ${errorsOf(res.text).join(' | ')}`).toBe(303);
    expect(res.headers.location).toBe(
      step < 5 ? stepPath(ref, step + 1, lang) : reviewPath(ref, lang),
    );
  }
}

/** Submits from the review page, with the version it shows. */
export async function submit(
  a: SignedIn,
  ref: string,
  lang: Lang,
  form: Record<string, string> = {},
) {
  const page = await a.client.get(reviewPath(ref, lang)).expect(200);
  const version = fieldValue(page.text, 'version') ?? '';
  return a.post(reviewPath(ref, lang), { version, ...form });
}

export function requestFormWorld() {
  const w = {
    // Set before the tests run (beforeAll below).
    database: undefined as unknown as TestDatabase,
    t: undefined as unknown as TestApp,
    esdc: 0,
    tbs: 0,
    ids: {} as Record<string, number>,
    signedIn: (email: string) => signIn(w.t.app, email, PASSWORD),
    row: (reference: string) => w.database.db('opportunities').where({ reference }).first(),
    outbox: (template: string): Promise<OutboxRow[]> =>
      w.database.db('outbox').where({ template }).orderBy('id'),
    /** Starts a request and returns its reference, from the redirect to step 1. */
    async start(
      a: SignedIn,
      sourceLanguage: Lang,
      lang: Lang = 'en',
      department?: number,
    ): Promise<string> {
      const res = await a.post(url('newRequest', {}, lang), {
        department: String(department ?? w.esdc),
        sourceLanguage,
      });
      expect(res.status).toBe(303);
      const match = /\/(MA-\d{4}-\d{4})\//.exec(res.headers.location ?? '');
      expect(res.headers.location).toBe(stepPath(match![1]!, 1, lang));
      return match![1]!;
    },
  };

  const staff = (email: string, grants: Grant[], language: Lang = 'en') =>
    insertPerson(w.database.db, {
      email,
      password: PASSWORD,
      language,
      grants,
      confirmedAt: w.t.clock.now(),
    });

  beforeAll(async () => {
    w.database = await createTestDatabase();
    w.t = await createTestApp(w.database.db);
    const esdc = (w.esdc = await insertDepartment(w.database.db));
    const tbs = (w.tbs = await insertDepartment(w.database.db, { en: 'TBS', fr: 'SCT' }));
    const { ids } = w;
    ids.client = await staff('client@esdc.example.ca', [{ role: 'client', department: esdc }]);
    ids.francophone = await staff(
      'cliente@esdc.example.ca',
      [{ role: 'client', department: esdc }],
      'fr',
    );
    ids.colleague = await staff('colleague@esdc.example.ca', [
      { role: 'client', department: esdc },
    ]);
    ids.tbsClient = await staff('client@tbs.example.ca', [{ role: 'client', department: tbs }]);
    ids.twoDepartments = await staff('both@example.ca', [
      { role: 'client', department: esdc },
      { role: 'client', department: tbs },
    ]);
    ids.officer1 = await staff('officer1@esdc.example.ca', [
      { role: 'program_officer', department: esdc },
    ]);
    ids.officer2 = await staff(
      'officer2@esdc.example.ca',
      [{ role: 'program_officer', department: esdc }],
      'fr',
    );
    ids.tbsOfficer = await staff('officer@tbs.example.ca', [
      { role: 'program_officer', department: tbs },
    ]);
  });

  afterAll(async () => {
    await w.database.drop();
  });

  return w;
}

import { parse } from 'node-html-parser';
import { afterAll, beforeAll } from 'vitest';
import type { Lang } from '../../src/platform/i18n.ts';
import type { Role } from '../../src/platform/roles.ts';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from './app.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { insertDepartment } from './fixtures.ts';
import { SUPPLIER_PASSWORD } from './offers-world.ts';
import { insertPerson, signIn, type SignedIn } from './people.ts';

/**
 * A department with its staff for section 34 tests, each signed in on demand: the client who
 * requests (and evaluates) every scenario's work, the program officer, a section 32 manager,
 * two section 34 managers, a finance officer; and a section 34 manager of another department.
 * The scenario builders pick these people, being the first of each role in the department.
 */
const STAFF_PASSWORD = 'certification staff passphrase';

/** Well inside the sessions' 30-minute idle timeout. */
const FRESH_MS = 10 * 60 * 1000;

const staff = {
  client: 'client',
  officer: 'program_officer',
  manager32: 'section32_manager',
  certifier: 'section34_manager',
  secondCertifier: 'section34_manager',
  finance: 'finance_officer',
} as const satisfies Record<string, Role>;
type StaffName = keyof typeof staff | 'outsider';

export function certificationWorld() {
  const w = {
    database: undefined as unknown as TestDatabase,
    t: undefined as unknown as TestApp,
    departmentId: 0,
    ids: {} as Record<StaffName, number>,
    emails: {} as Record<StaffName, string>,
    sessions: new Map<string, { session: SignedIn; at: number }>(),
    /**
     * The signed-in session of a staff member, or of a supplier by email, in a language: signed in
     * again once the scenarios have moved the clock past the session's idle timeout.
     */
    async as(name: StaffName | { email: string }, lang: Lang = 'en'): Promise<SignedIn> {
      const email = typeof name === 'string' ? w.emails[name] : name.email;
      const key = `${email}:${lang}`;
      const now = w.t.clock.now().getTime();
      const kept = w.sessions.get(key);
      if (kept && Math.abs(now - kept.at) < FRESH_MS) {
        kept.at = now;
        return kept.session;
      }
      const password = typeof name === 'string' ? STAFF_PASSWORD : SUPPLIER_PASSWORD;
      const session = await signIn(w.t.app, email, password, lang);
      w.sessions.set(key, { session, at: now });
      return session;
    },
  };

  beforeAll(async () => {
    w.database = await createTestDatabase();
    const { db } = w.database;
    w.t = await createTestApp(db);
    w.departmentId = await insertDepartment(db);
    const other = await insertDepartment(db, { en: 'TBS', fr: 'SCT' });
    const people: [StaffName, Role, number][] = [
      ...Object.entries(staff).map(
        ([name, role]) => [name, role, w.departmentId] as [StaffName, Role, number],
      ),
      ['outsider', 'section34_manager', other],
    ];
    for (const [name, role, department] of people) {
      const email = `${name.toLowerCase()}@certification.example.ca`;
      w.emails[name] = email;
      w.ids[name] = await insertPerson(db, {
        email,
        password: STAFF_PASSWORD,
        name: `${name} person`,
        confirmedAt: w.t.clock.now(),
        grants: [
          { role, department, limitCents: role === 'section32_manager' ? 1_000_000 : undefined },
        ],
      });
    }
  });

  afterAll(async () => {
    await w.database.drop();
  });

  return w;
}

/** The evidence page's address for an opportunity, in a language. */
export const evidenceUrl = (ref: string, lang: Lang = 'en') =>
  url('certificationEvidence', { ref }, lang);

/** The statutory wording as the evidence page shows it: the certify checkbox's label. */
export function shownWording(html: string): string | undefined {
  return parse(html).querySelector('label[for="attest"]')?.text.trim();
}

/** The version the evidence page's forms send back. */
export function shownVersion(html: string): string {
  return parse(html).querySelector('input[name="version"]')?.getAttribute('value') ?? '';
}

/** The messages of the page's error summary. */
export function errorMessages(html: string): string[] {
  return parse(html)
    .querySelectorAll('.error-summary li')
    .map((li) => li.text.trim());
}

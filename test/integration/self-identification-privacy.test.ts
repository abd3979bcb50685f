import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTable } from '../../src/app.ts';
import { fromRoot } from '../../src/platform/paths.ts';
import { pages, url, type PageName } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { APPLICANT_PASSWORD, aSubmittedApplication, aSupplier } from '../helpers/applicants.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment } from '../helpers/fixtures.ts';
import { insertPerson, signIn, type SignedIn } from '../helpers/people.ts';
import { close } from '../helpers/scenario-steps.ts';
import { aPublishedOpportunity, type Scenario } from '../helpers/scenarios.ts';

/**
 * A supplier's self-identification never reaches staff: no staff page changes by a byte when
 * answers are saved or changed, no event holds them, and no code but the feature's own reads
 * their table.
 */
const STAFF_PASSWORD = 'staff of the privacy test';
let database: TestDatabase;
let t: TestApp;
let opportunity: Scenario;
const staff: Record<string, SignedIn> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  const department = await insertDepartment(database.db);
  const person = (email: string, role: string, limitCents?: number) =>
    insertPerson(database.db, {
      email,
      password: STAFF_PASSWORD,
      confirmedAt: t.clock.now(),
      grants: [
        {
          role: role as never,
          department: role === 'platform_admin' ? null : department,
          limitCents,
        },
      ],
    });
  const ids = {
    requester: await person('client@esdc.example.ca', 'client'),
    officer: await person('officer@esdc.example.ca', 'program_officer'),
    manager: await person('manager@esdc.example.ca', 'section32_manager', 1_000_000),
    admin: await person('admin@esdc.example.ca', 'department_admin'),
    platform: await person('platform@example.ca', 'platform_admin'),
  };
  opportunity = await aPublishedOpportunity(t, {
    department,
    requester: ids.requester,
    officer: ids.officer,
    manager: ids.manager,
  });
  for (const email of ['first.applicant@example.com', 'second.applicant@example.com']) {
    await aSubmittedApplication(t, opportunity, await aSupplier(t, email));
  }
  t.clock.set(new Date(opportunity.closesAt!.getTime() + 1000));
  await close(t, opportunity);
  for (const email of Object.keys(ids)) {
    const address =
      email === 'platform'
        ? 'platform@example.ca'
        : `${email === 'requester' ? 'client' : email}@esdc.example.ca`;
    staff[email] = await signIn(t.app, address, STAFF_PASSWORD);
  }
  // The requester evaluates: they declare no conflict of interest first.
  const evaluation = `/en/requests/${opportunity.reference}/evaluation`;
  await staff.requester!.post(`${evaluation}/declaration`, { noConflict: 'yes' }, evaluation);
});
afterAll(() => database.drop());

/** Every staff or public page that names the opportunity (and an applicant, by letter). */
function pagesOfTheOpportunity(): string[] {
  const own: PageName[] = ['selfIdentification', 'feedback'];
  return routeTable(t.deps)
    .filter((r) => r.method === 'get' && !own.includes(r.page))
    .filter((r) => {
      const params = [...pages[r.page].en.matchAll(/:(\w+)/g)].map((m) => m[1]);
      return params.includes('ref') && params.every((p) => p === 'ref' || p === 'applicant');
    })
    .flatMap((r) =>
      (['en', 'fr'] as const).map((lang) =>
        ['A', 'B'].map((applicant) => url(r.page, { ref: opportunity.reference, applicant }, lang)),
      ),
    )
    .flat();
}

/**
 * What each staff person reads on each page, without the per-session CSRF tokens; `only` reads
 * again just the pages a first reading showed (a refusal shows nothing of the file).
 */
async function whatStaffRead(only?: Map<string, string>): Promise<Map<string, string>> {
  const read = new Map<string, string>();
  for (const [who, a] of Object.entries(staff)) {
    for (const address of pagesOfTheOpportunity()) {
      if (only && !only.get(`${who} ${address}`)?.startsWith('200 ')) continue;
      const res = await a.client.get(address);
      const body = res.text.replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf"');
      read.set(`${who} ${address}`, `${res.status} ${body}`);
    }
  }
  return read;
}

const answer = (a: SignedIn, form: Record<string, string>) =>
  a.post(`/en/opportunities/${opportunity.reference}/self-identification`, {
    action: 'save',
    ...form,
  });

describe('self-identification stays with the supplier', () => {
  it(
    'changes no staff page, evaluator pages included, and records no event',
    { timeout: 90_000 },
    async () => {
      const before = await whatStaffRead();
      // The evaluator's pages, once the evaluation's pages exist (issue 11, item 5).
      if (routeTable(t.deps).some((r) => r.page === ('evaluationApplicant' as string))) {
        for (const letter of ['A', 'B']) {
          const key = `requester /en/requests/${opportunity.reference}/evaluation/applicants/${letter}`;
          expect(before.get(key)?.slice(0, 3), key).toBe('200');
        }
      }
      expect([...before.values()].filter((b) => b.startsWith('200 ')).length).toBeGreaterThan(5);
      const events = await database.db('events').orderBy('id').select();

      const supplier = await signIn(t.app, 'first.applicant@example.com', APPLICANT_PASSWORD);
      const all = (value: string) => ({
        outside_ncr: value,
        equity_group: value,
        small_business: value,
        first_gc_contract: value,
      });
      expect((await answer(supplier, all('yes'))).status).toBe(303);
      const afterYes = await whatStaffRead(before);
      for (const [page, body] of afterYes) expect(body, page).toBe(before.get(page));

      expect((await answer(supplier, all('prefer_not_to_say'))).status).toBe(303);
      const afterDeclined = await whatStaffRead(before);
      for (const [page, body] of afterDeclined) expect(body, page).toBe(before.get(page));

      expect(await database.db('events').orderBy('id').select()).toEqual(events);
      const payloads = JSON.stringify(events);
      for (const word of ['outside_ncr', 'equity_group', 'small_business', 'first_gc_contract']) {
        expect(payloads).not.toContain(word);
      }
      expect(await database.db('self_identifications').count()).toEqual([{ count: 1 }]);
    },
  );

  it('is read by no code but its own: the table is named only in src/self-identification/, and only the supplier’s own pages read answers', () => {
    const filesUnder = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const full = path.join(dir, name);
        return statSync(full).isDirectory() ? filesUnder(full) : [full];
      });
    const own = fromRoot('src/self-identification');
    const elsewhere = ['src', 'views', 'bench']
      .flatMap((dir) => filesUnder(fromRoot(dir)))
      .filter((file) => !file.startsWith(own + path.sep));
    expect(elsewhere.length).toBeGreaterThan(50);
    const naming = elsewhere.filter((file) =>
      readFileSync(file, 'utf8').includes('self_identifications'),
    );
    expect(naming).toEqual([]);
    // Outside the feature, only the aggregate (with its small counts hidden) may be imported;
    // the supplier's own application pages (src/applications/) and their personal data download
    // may also read their own answers.
    const allowed = (file: string, name: string) =>
      [
        'selfIdentificationSummary',
        'type SelfIdentificationFilter',
        'type SelfIdentificationSummary',
      ].includes(name) ||
      (file.startsWith(fromRoot('src/applications') + path.sep) &&
        name.split(' as ')[0] === 'answersOf') ||
      // The person's own download of their personal data.
      (file === fromRoot('src/accounts/profile.ts') && name === 'answersOfPerson');
    const importing = elsewhere.flatMap((file) =>
      [
        ...readFileSync(file, 'utf8').matchAll(
          /import\s*\{([^}]*)\}\s*from\s*'[./]*self-identification\/repo\.ts'/g,
        ),
      ]
        .flatMap((m) => m[1]!.split(',').map((n) => n.trim()))
        .filter((name) => name && !allowed(file, name))
        .map((name) => `${path.relative(fromRoot('.'), file)}: ${name}`),
    );
    expect(importing).toEqual([]);
  });
});

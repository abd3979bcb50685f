import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTable } from '../../src/app.ts';
import { departmentRoles, type Role } from '../../src/platform/roles.ts';
import type { Access, RouteDef } from '../../src/platform/router.ts';
import { pages, url, type UrlParams } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment, insertOpportunity } from '../helpers/fixtures.ts';
import { insertPerson, signIn } from '../helpers/people.ts';
import { agent } from '../helpers/session.ts';

interface Actor {
  name: string;
  kind?: 'supplier' | 'staff';
  role?: Role;
  otherDepartment?: boolean;
}

const PASSWORD = 'matrix passphrase 2026';
const actors: Actor[] = [
  { name: 'anonymous' },
  { name: 'supplier', kind: 'supplier' },
  ...departmentRoles.map((role) => ({ name: `${role} (ESDC)`, kind: 'staff' as const, role })),
  {
    name: 'client of another department (TBS)',
    kind: 'staff',
    role: 'client',
    otherDepartment: true,
  },
  { name: 'platform admin', kind: 'staff', role: 'platform_admin' },
];

/** A value for each route parameter; a new route with a new parameter must be added here. */
const sampleParams: Record<string, UrlParams> = {
  opportunity: { ref: 'MA-2026-0001' },
  confirmEmail: { token: 'x'.repeat(43) },
  resetPassword: { token: 'x'.repeat(43) },
  adminDepartment: { dept: 'esdc' },
  adminStaff: { dept: 'esdc' },
  acceptInvitation: { token: 'x'.repeat(43) },
  requestStep: { ref: 'MA-2026-0001', step: '1' },
  requestReview: { ref: 'MA-2026-0001' },
  request: { ref: 'MA-2026-0001' },
  screenRequest: { ref: 'MA-2026-0001' },
  approveFunds: { ref: 'MA-2026-0001' },
  releaseFunds: { ref: 'MA-2026-0001' },
  cancelRequest: { ref: 'MA-2026-0001' },
  translation: { ref: 'MA-2026-0001' },
  preview: { token: 'x'.repeat(43) },
  approvePreview: { ref: 'MA-2026-0001' },
  publish: { ref: 'MA-2026-0001' },
  askQuestion: { ref: 'MA-2026-0001' },
  watchOpportunity: { ref: 'MA-2026-0001' },
  answerQuestions: { ref: 'MA-2026-0001' },
  addendum: { ref: 'MA-2026-0001' },
};

let database: TestDatabase;
let t: TestApp;
const sessions = new Map<string, ReturnType<typeof agent>>();

function expected(access: Access, actor: Actor): 'allow' | 'signIn' | 'deny' {
  if (access === 'public' || access === 'development') return 'allow';
  if (!actor.kind) return 'signIn';
  if (access === 'signedIn') return 'allow';
  if (access === 'supplier') return actor.kind === 'supplier' ? 'allow' : 'deny';
  if (actor.role === 'platform_admin') return 'allow';
  // Without a department in the URL, the role held in any department is enough.
  const inScope = !access.department || !actor.otherDepartment;
  return actor.role && inScope && access.roles.includes(actor.role) ? 'allow' : 'deny';
}

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  const esdc = await insertDepartment(db);
  const tbs = await insertDepartment(db, { en: 'TBS', fr: 'SCT' });
  await insertOpportunity(db, { reference: 'MA-2026-0001', departmentId: esdc });
  t = await createTestApp(db);
  for (const [i, actor] of actors.entries()) {
    if (!actor.kind) {
      sessions.set(actor.name, agent(t.app));
      continue;
    }
    const email = `actor${i}@example.com`;
    const { role } = actor;
    await insertPerson(db, {
      email,
      kind: actor.kind,
      name: '',
      password: PASSWORD,
      grants: role
        ? [
            {
              role,
              department: role === 'platform_admin' ? null : actor.otherDepartment ? tbs : esdc,
              limitCents: role === 'section32_manager' ? 500_000 : undefined,
            },
          ]
        : [],
      confirmedAt: t.clock.now(),
    });
    sessions.set(actor.name, await signIn(t.app, email, PASSWORD));
  }
});

afterAll(async () => {
  await database.drop();
});

describe('authorization matrix', () => {
  it('gives every route with a parameter a sample value', () => {
    for (const route of routeTable(t.deps)) {
      for (const [, name] of pages[route.page].en.matchAll(/:(\w+)/g)) {
        expect(
          sampleParams[route.page]?.[name ?? ''],
          `${route.page} needs a sample :${name}`,
        ).toBeDefined();
      }
    }
  });

  it('gives every POST without a page of its own the page its language toggle links to', () => {
    const routes = routeTable(t.deps);
    const withGet = new Set(routes.filter((r) => r.method === 'get').map((r) => r.page));
    const missing = routes
      .filter((r) => r.method === 'post' && !withGet.has(r.page) && !r.shows)
      .map((r) => r.page);
    // Signing out only redirects: it never shows a page.
    expect(missing).toEqual(['signOut']);
  });

  it('allows or denies every route for every actor, and never shows protected content when denying', async () => {
    const checked: string[] = [];
    // Signing out ends the actor's session, so it goes last.
    const routes = table().sort(
      (a, b) => Number(a.page === 'signOut') - Number(b.page === 'signOut'),
    );
    for (const route of routes) {
      const languages = route.method === 'get' ? (['en', 'fr'] as const) : (['en'] as const);
      for (const lang of languages) {
        const path = url(route.page, sampleParams[route.page] ?? {}, lang);
        for (const actor of actors) {
          const a = sessions.get(actor.name)!;
          const res =
            route.method === 'get'
              ? await a.client.get(path)
              : await a.client
                  .post(path)
                  .type('form')
                  .send({ _csrf: await a.csrf(lang === 'en' ? '/en/sign-in' : '/fr/connexion') });
          const want = expected(route.access, actor);
          const label = `${route.method.toUpperCase()} ${path} as ${actor.name}`;
          if (want === 'allow') {
            expect([403, 404].includes(res.status) && res.text.includes('error-page'), label).toBe(
              false,
            );
            expect(res.headers.location?.startsWith(url('signIn', {}, lang)) ?? false, label).toBe(
              false,
            );
          } else if (want === 'signIn') {
            expect(res.status, label).toBe(303);
            expect(res.headers.location, label).toMatch(new RegExp(`^${url('signIn', {}, lang)}`));
          } else {
            expect([403, 404], label).toContain(res.status);
            expect(res.text, label).toContain('error-page');
          }
          checked.push(label);
        }
      }
    }
    expect(checked.length).toBeGreaterThan(actors.length * 10);
  });

  it('shows the signed-in person’s own account, never another’s', async () => {
    const a = agent(t.app);
    await a.post('/en/sign-in', { email: 'actor1@example.com', password: PASSWORD });
    const res = await a.client.get('/en/account').expect(200);
    expect(res.text).toContain('actor1@example.com');
    expect(res.text).not.toContain('actor2@example.com');
  });
});

describe('CSRF', () => {
  it('refuses every POST route without a token, with a 403 and no change in the database', async () => {
    const counts = async () =>
      Promise.all(
        ['users', 'sessions', 'outbox', 'account_tokens'].map((table) =>
          database.db(table).count({ n: '*' }).first(),
        ),
      );
    for (const route of table().filter((r) => r.method === 'post')) {
      for (const lang of ['en', 'fr'] as const) {
        const before = await counts();
        const path = url(route.page, sampleParams[route.page] ?? {}, lang);
        const res = await agent(t.app).client.post(path).type('form').send({
          email: 'new@example.com',
          password: PASSWORD,
          passwordConfirmation: PASSWORD,
          language: 'en',
          privacy: 'yes',
        });
        expect(res.status, path).toBe(403);
        expect(await counts(), path).toEqual(before);
      }
    }
  });
});

function table(): RouteDef[] {
  return routeTable(t.deps);
}

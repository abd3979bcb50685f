import type { Response } from 'supertest';
import { describe, expect, it } from 'vitest';
import { routeTable } from '../../src/app.ts';
import type { Lang } from '../../src/platform/i18n.ts';
import type { RouteDef } from '../../src/platform/router.ts';
import { pages, url } from '../../src/platform/routes.ts';
import {
  authorizationWorld,
  DRAFT_TITLE,
  PASSWORD,
  sampleParams,
} from '../helpers/authorization-world.ts';
import { agent } from '../helpers/session.ts';
import {
  actorNames,
  expectedAccess,
  knownDisagreements,
  type ActorName,
  type Outcome,
} from './access-expectations.ts';

/** Refusals that say why instead of showing the error page; neither shows the record. */
const explainedRefusals = ['requests.notEditable.title', 'publishing.unavailable.title'];

const w = authorizationWorld();
const { sessions } = w;

const keyOf = (route: RouteDef) => `${route.method.toUpperCase()} ${route.page}`;

/** What the app answered, in the table's words. */
function outcomeOf(res: Response, lang: Lang): Outcome | number {
  if (res.status === 403 || res.status === 404) return res.status;
  if (res.status >= 300 && res.status < 400) {
    const signIn = url('signIn', {}, lang);
    const location = res.headers.location ?? '';
    const toSignIn = location === signIn || location.startsWith(`${signIn}?`);
    return toSignIn && res.status === 303 ? 'sign-in' : 'redirect';
  }
  return res.status >= 200 && res.status < 300 ? 'shown' : res.status;
}

/** Today's answer where it is a known finding, else the table's. */
function expectation(key: string, column: number, name: ActorName) {
  const right = expectedAccess[key]![column]!;
  const known = knownDisagreements.find((d) => d.actor === name && d.today[key] !== undefined);
  return { right, want: known?.today[key] ?? right, known };
}

function matches(want: Outcome, got: Outcome | number): boolean {
  if (want === 'passes') return got !== 403 && got !== 404 && got !== 'sign-in';
  return want === got;
}

/**
 * Every actor's answer for one route in one language, in the table's column order. A GET
 * changes nothing and counts against no limit, so the actors (each their own session) ask at
 * once. POSTs may change a record or use up a limit, so they go one after another, in order,
 * each with its own session's CSRF token (the actors read theirs at once, before the first).
 */
async function answers(route: RouteDef, lang: Lang): Promise<Response[]> {
  const path = url(route.page, sampleParams[route.page] ?? {}, lang);
  const clients = actorNames.map((name) => sessions.get(name)!);
  if (route.method === 'get' && !route.limit)
    return Promise.all(clients.map((a) => a.client.get(path)));
  const tokens =
    route.method === 'post'
      ? await Promise.all(clients.map((a) => a.csrf(url('signIn', {}, lang))))
      : [];
  const all: Response[] = [];
  for (const [column, a] of clients.entries()) {
    const ask = tokens[column]
      ? a.client.post(path).type('form').send({ _csrf: tokens[column] })
      : a.client.get(path);
    all.push(await ask);
  }
  return all;
}

describe('authorization table', () => {
  it('has exactly one line for every route', () => {
    const routes = new Set(routeTable(w.t.deps).map(keyOf));
    const lines = new Set(Object.keys(expectedAccess));
    expect({
      routesWithoutALine: [...routes].filter((k) => !lines.has(k)),
      linesWithoutARoute: [...lines].filter((k) => !routes.has(k)),
    }).toEqual({ routesWithoutALine: [], linesWithoutARoute: [] });
  });

  it('lists as known disagreements only cells of the table that differ from it', () => {
    const wrong = knownDisagreements.flatMap((d) =>
      Object.entries(d.today)
        .filter(([key, today]) => {
          const right = expectedAccess[key]?.[actorNames.indexOf(d.actor)];
          return right === undefined || matches(right, today);
        })
        .map(([key]) => `${key} as ${d.actor}`),
    );
    expect(wrong).toEqual([]);
  });

  it('gives every route with a parameter a sample value', () => {
    for (const route of routeTable(w.t.deps)) {
      for (const [, name] of pages[route.page].en.matchAll(/:(\w+)/g)) {
        expect(
          sampleParams[route.page]?.[name ?? ''],
          `${route.page} needs a sample :${name}`,
        ).toBeDefined();
      }
    }
  });

  it('gives every POST without a page of its own the page its language toggle links to', () => {
    const routes = routeTable(w.t.deps);
    const withGet = new Set(routes.filter((r) => r.method === 'get').map((r) => r.page));
    const missing = routes
      .filter((r) => r.method === 'post' && !withGet.has(r.page) && !r.shows)
      .map((r) => r.page);
    // Signing out only redirects: it never shows a page.
    expect(missing).toEqual(['signOut']);
  });

  it('answers every route, for every actor, as the table says, and never shows protected content when denying', async () => {
    const mismatches: string[] = [];
    const leaks: string[] = [];
    let checked = 0;
    // Signing out ends the actor's session, so it goes last.
    const routes = routeTable(w.t.deps)
      .filter((r) => expectedAccess[keyOf(r)])
      .sort((a, b) => Number(a.page === 'signOut') - Number(b.page === 'signOut'));
    for (const route of routes) {
      const languages = route.method === 'get' ? (['en', 'fr'] as const) : (['en'] as const);
      for (const lang of languages) {
        const responses = await answers(route, lang);
        for (const [column, name] of actorNames.entries()) {
          const res = responses[column]!;
          const { right, want, known } = expectation(keyOf(route), column, name);
          const got = outcomeOf(res, lang);
          const label = `${keyOf(route)} (${lang}) as ${name}`;
          if (!matches(want, got)) {
            mismatches.push(
              known
                ? `${label}: known finding (${known.why.slice(0, 40)}…) answered ${want}, now ${got}; right is ${right}: update access-expectations.ts`
                : `${label}: expected ${want}, got ${got}`,
            );
          }
          if (got === 403 || got === 404) {
            const tr = w.t.deps.translator.t(lang);
            const explained = explainedRefusals.some((key) => res.text.includes(tr(key)));
            if (!res.text.includes('error-page') && !explained)
              leaks.push(`${label}: no error page`);
            if (res.text.includes(DRAFT_TITLE)) leaks.push(`${label}: shows the draft`);
          }
          if (want === 'sign-in' && route.method === 'get') {
            const back = `?next=${encodeURIComponent(url(route.page, sampleParams[route.page] ?? {}, lang))}`;
            if (!res.headers.location?.endsWith(back)) mismatches.push(`${label}: no way back`);
          }
          checked += 1;
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(leaks).toEqual([]);
    expect(checked).toBeGreaterThan(actorNames.length * 50);
    // Every route × actor × language: the GETs of a route and language at once, the POSTs in turn.
  }, 300_000);

  it('shows the signed-in person’s own account, never another’s', async () => {
    const a = agent(w.t.app);
    await a.post('/en/sign-in', { email: 'actor1@example.com', password: PASSWORD });
    const res = await a.client.get('/en/account').expect(200);
    expect(res.text).toContain('actor1@example.com');
    expect(res.text).not.toContain('actor2@example.com');
  });
});

describe('CSRF', () => {
  it('refuses every POST route without a token, with a 403 and no change in the database', async () => {
    const tables = ['users', 'sessions', 'outbox', 'account_tokens', 'subscribers'];
    const counts = async () =>
      Promise.all(
        [...tables, 'subscription_tokens', 'subscription_consents'].map((table) =>
          w.database.db(table).count({ n: '*' }).first(),
        ),
      );
    // Past the rate limits the table's requests used up.
    const start = w.t.clock.now();
    w.t.clock.set(new Date(start.getTime() + 60 * 60 * 1000));
    for (const route of routeTable(w.t.deps).filter((r) => r.method === 'post')) {
      for (const lang of ['en', 'fr'] as const) {
        const before = await counts();
        const path = url(route.page, sampleParams[route.page] ?? {}, lang);
        const res = await agent(w.t.app).client.post(path).type('form').send({
          email: 'new@example.com',
          password: PASSWORD,
          passwordConfirmation: PASSWORD,
          language: 'en',
          privacy: 'yes',
          consent: 'yes',
          consentVersion: '1',
        });
        // A route that checks the token itself (the form of a cached page, the unsubscribe
        // link's button) answers with its page, and changes nothing either.
        if (route.csrf === 'route') expect(res.status, path).toBe(200);
        else expect(res.status, path).toBe(403);
        expect(await counts(), path).toEqual(before);
      }
    }
    w.t.clock.set(start);
  });
});

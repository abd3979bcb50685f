import { parse } from 'node-html-parser';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Lang } from '../../src/platform/i18n.ts';
import type { OutboxRow } from '../../src/platform/mail/outbox.ts';
import { highestPreTaxPriceCents, maxTotalCents } from '../../src/platform/money.ts';
import { url, type PageName, type UrlParams } from '../../src/platform/routes.ts';
import { readPrice } from '../../src/requests/form-schemas.ts';
import { createTestApp, type TestApp } from './app.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { insertDepartment } from './fixtures.ts';
import { errorsOf, fieldValue } from './pages.ts';
import { insertPerson, signIn, type SignedIn } from './people.ts';
import {
  DAY_MS,
  messages,
  PASSWORD,
  staff,
  SUBSCRIBER,
  walks,
  type StatusShown,
  type StepForms,
  type Walk,
} from './publication-walks.ts';
import {
  aFundedRequest,
  aScreenedRequest,
  aSubmittedRequest,
  type ScenarioOptions,
} from './scenarios.ts';

/**
 * The two departments of the request-to-publication walks, their staff and the mailing list's
 * reader, and what each stretch of the walk reads and does. Each test file calling this gets its
 * own database and app, its clock at the first walk's start.
 */
export function publicationWorld() {
  const ids: Record<string, number> = {};
  const sessions = new Map<string, SignedIn>();
  let outboxSeen = 0;
  const w = {
    // Set before the tests run (beforeAll below).
    database: undefined as unknown as TestDatabase,
    t: undefined as unknown as TestApp,
    ids,
    /** The opportunities of the walks, and those set to 'ready' by hand for a negative case. */
    created: [] as number[],
    forcedReady: [] as number[],
    emailOf: (walk: Walk, name: string) => `${name}@${walk.slug}.example.ca`,
    idOf: (walk: Walk, name: string) => ids[w.emailOf(walk, name)]!,
    /**
     * Signed in as one of a department's staff. A session ends 12 hours after sign-in and the
     * clock moves a day between steps, so each person signs in again on each day, once.
     */
    async as(walk: Walk, name: string): Promise<SignedIn> {
      const email = w.emailOf(walk, name);
      const key = `${email} ${w.t.clock.now().toISOString()}`;
      const existing = sessions.get(key);
      if (existing) return existing;
      const a = await signIn(w.t.app, email, PASSWORD, walk.lang);
      sessions.set(key, a);
      return a;
    },
    opportunity: (id: number) => w.database.db('opportunities').where({ id }).first(),
    eventsOf: (id: number) =>
      w.database.db('events').where({ entity_type: 'opportunity', entity_id: id }).orderBy('id'),
    reservationsOf: (id: number) =>
      w.database.db('fund_reservations').where({ opportunity_id: id }),
    /** The state of a request that a refused step must leave exactly as it was. */
    async snapshot(id: number) {
      return {
        row: await w.opportunity(id),
        events: (await w.eventsOf(id)).length,
        reservations: await w.reservationsOf(id),
        emails: Number((await w.database.db('outbox').count({ n: '*' }).first())?.n),
      };
    },
    /** Emails queued since the last call, as [template, recipient, language], sorted. */
    async newEmails(): Promise<{ rows: OutboxRow[]; sent: string[][] }> {
      const rows: OutboxRow[] = await w.database
        .db('outbox')
        .where('id', '>', outboxSeen)
        .orderBy('id');
      outboxSeen = Math.max(outboxSeen, ...rows.map((r) => Number(r.id)));
      return {
        rows,
        sent: rows.map((r) => [r.template, r.recipient, r.language ?? '']).sort(),
      };
    },
    /** The references listed in one queue of "Needs attention" / « À traiter ». */
    async queue(a: SignedIn, lang: Lang, name: string): Promise<string[]> {
      const res = await a.client.get(url('workQueues', {}, lang)).expect(200);
      const heading = parse(res.text).querySelector(`#${name}`);
      expect(heading, name).not.toBeNull();
      const next = heading!.nextElementSibling;
      return next?.tagName === 'TABLE'
        ? next.querySelectorAll('tbody th a').map((link) => link.textContent.trim())
        : [];
    },
  };

  beforeAll(async () => {
    w.database = await createTestDatabase();
    w.t = await createTestApp(w.database.db, { now: walks[0]!.start });
    for (const walk of walks) {
      walk.departmentId = await insertDepartment(w.database.db, walk.acronym);
      for (const person of staff) {
        const email = w.emailOf(walk, person.name);
        ids[email] = await insertPerson(w.database.db, {
          email,
          password: PASSWORD,
          name: `${person.name} ${walk.acronym.en}`,
          language: walk.lang,
          grants: person.grants.map((g) => ({ ...g, department: walk.departmentId })),
          confirmedAt: w.t.clock.now(),
        });
      }
    }
    await w.database.db('subscribers').insert({
      email: SUBSCRIBER,
      language: 'en',
      unsubscribe_token: 'reader-token',
      created_at: w.t.clock.now(),
      confirmed_at: w.t.clock.now(),
    });
  });

  afterAll(async () => {
    await w.database.drop();
  });

  return w;
}

export type PublicationWorld = ReturnType<typeof publicationWorld>;

export const statusOf = (text: string) => parse(text).querySelector('.card-tags .tag')?.textContent;

/** Every textarea of the translation editor, as the page shows it. */
export function editorTexts(text: string): Record<string, string> {
  const form: Record<string, string> = {};
  for (const area of parse(text).querySelectorAll('form#translation-form textarea')) {
    form[area.getAttribute('name')!] = area.textContent;
  }
  return form;
}

/** What one walk's tests share: its language, its days, and the checks it makes at each step. */
export function walkOf(w: PublicationWorld, walk: Walk) {
  const lang = walk.lang;
  const say = messages[lang];
  const other = walks.find((x) => x !== walk)!;
  const path = (page: PageName, params: UrlParams = {}) => url(page, params, lang);
  const day = (n: number) => new Date(new Date(walk.start).getTime() + n * DAY_MS);
  const finalPriceCents = walk.changedPrice?.cents ?? highestPreTaxPriceCents();

  return {
    lang,
    say,
    other,
    path,
    day,
    onDay: (n: number) => w.t.clock.set(day(n).toISOString()),
    finalPriceCents,
    finalTotal: maxTotalCents(finalPriceCents),

    /** The status the request page shows this person, and the same on the database row. */
    async expectStatus(a: SignedIn, ref: string, status: StatusShown) {
      const page = await a.client.get(path('request', { ref })).expect(200);
      expect(statusOf(page.text)).toBe(say.status[status]);
      const row = await w.database.db('opportunities').where({ reference: ref }).first();
      expect(row.status).toBe(status);
    },

    /** Nobody of the other department learns the request exists, nor changes it. */
    async expectHiddenFromOtherDepartment(ref: string, id: number) {
      const before = await w.snapshot(id);
      const pages: [PageName, UrlParams][] = [
        ['request', { ref }],
        ['requestStep', { ref, step: 1 }],
        ['requestReview', { ref }],
        ['approveFunds', { ref }],
        ['translation', { ref }],
        ['publish', { ref }],
        ['cancelRequest', { ref }],
      ];
      for (const name of ['client', 'officer', 'manager', 'manager-client']) {
        const outsider = await w.as(other, name);
        for (const [page, params] of pages) {
          const res = await outsider.client.get(url(page, params, other.lang));
          expect(res.status, `${name} of ${other.acronym.en} on ${page}`).toBe(404);
        }
      }
      const posts: [string, PageName, Record<string, string>][] = [
        ['officer', 'screenRequest', { decision: 'accept' }],
        ['manager', 'approveFunds', { reservationNumber: 'FR-OTHER-1', attest: 'yes' }],
        ['officer', 'translation', { intent: 'complete' }],
        ['client', 'approvePreview', {}],
        ['officer', 'publish', { openingDate: '', openingTime: '' }],
        ['officer', 'cancelRequest', { reason: 'Not ours to cancel.', confirm: 'yes' }],
      ];
      for (const [name, page, form] of posts) {
        const outsider = await w.as(other, name);
        const res = await outsider.post(
          url(page, { ref }, other.lang),
          { ...form, version: String(before.row.version) },
          url('workQueues', {}, other.lang),
        );
        expect(res.status, `${name} of ${other.acronym.en} posting ${page}`).toBe(404);
      }
      expect(await w.snapshot(id)).toEqual(before);
    },

    /** Starts a request and saves the five steps; returns its reference and id. */
    async writeRequest(a: SignedIn, steps: StepForms) {
      const started = await a.post(path('newRequest'), {
        department: String(walk.departmentId),
        sourceLanguage: lang,
      });
      expect(started.status).toBe(303);
      const ref = /(MA-\d{4}-\d{4})/.exec(started.headers.location ?? '')![1]!;
      expect(started.headers.location).toBe(path('requestStep', { ref, step: 1 }));
      const { id } = await w.database.db('opportunities').where({ reference: ref }).first('id');
      w.created.push(id);
      for (const step of [1, 2, 3, 4, 5] as const) {
        const res = await a.post(path('requestStep', { ref, step }), {
          ...steps[step],
          then: 'continue',
        });
        expect(res.status, `step ${step}: ${errorsOf(res.text).join(' | ')}`).toBe(303);
      }
      return { ref, id: id as number };
    },

    saveStep(a: SignedIn, ref: string, step: number, form: Record<string, string>) {
      return a.post(path('requestStep', { ref, step }), { ...form, then: 'continue' });
    },

    async submit(a: SignedIn, ref: string) {
      const review = await a.client.get(path('requestReview', { ref })).expect(200);
      const version = fieldValue(review.text, 'version') ?? '';
      return a.post(path('requestReview', { ref }), { version });
    },

    /**
     * The walk's two requests as the earlier days left them, built through the same actions by
     * the same people on the same days: the client's (with its final price) and the request of
     * the person who is both client and section 32 manager, which section 32 refused.
     */
    async builtUpTo(stage: 'submitted' | 'screened' | 'funds_approved') {
      const person = (name: string) => w.idOf(walk, name);
      const days = { start: day(0), submit: day(1), screen: day(2), approveFunds: day(3) };
      const common = {
        department: walk.departmentId,
        officer: person('officer'),
        manager: person('manager'),
        at: days,
      };
      const request = await {
        submitted: aSubmittedRequest,
        screened: aScreenedRequest,
        funds_approved: aFundedRequest,
      }[stage](w.t, {
        ...common,
        ...optionsOf(walk, walk.request, finalPriceCents),
        requester: person('client'),
        reservationNumber: `FR-${walk.slug.toUpperCase()}-004512`,
      });
      const own = await (stage === 'submitted' ? aSubmittedRequest : aScreenedRequest)(w.t, {
        ...common,
        ...optionsOf(walk, walk.ownRequest),
        requester: person('manager-client'),
      });
      w.created.push(request.id, own.id);
      // What the earlier days sent is theirs: this stretch counts from here.
      await w.newEmails();
      return {
        request: { id: request.id, ref: request.reference },
        own: { id: own.id, ref: own.reference },
      };
    },
  };
}

/** A walk's typed form as the builders' options: the same texts, codes and price. */
function optionsOf(walk: Walk, steps: StepForms, priceCents?: number) {
  const lang = walk.lang;
  const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');
  const both = (text: string) => ({ en: text, fr: text });
  const column = lang === 'en' ? 'En' : 'Fr';
  return {
    sourceLanguage: lang,
    [`title${column}`]: steps[1].title,
    [`summary${column}`]: steps[1].summary,
    [`description${column}`]: steps[1].description,
    repositoryUrl: steps[2].repositoryUrl,
    licence: steps[2].licence,
    skills: { en: lines(steps[2].skills!), fr: lines(steps[2].skills!) },
    acceptance: lines(steps[3].acceptanceCriteria!).map(both),
    mandatory: lines(steps[3].mandatoryCriteria!).map(both),
    priceCents: priceCents ?? readPrice(steps[4].price!)!,
    deliveryDueOn: steps[4].deliveryDueOn,
    costCentre: steps[5].costCentre,
    fund: steps[5].fund,
    glAccount: steps[5].glAccount,
    paymentMethod: steps[5].paymentMethod as ScenarioOptions['paymentMethod'],
  };
}

/** Every status of the walks' requests is where their events say: nothing else wrote one. */
export async function expectStatusesFromEvents(w: PublicationWorld, expected: string[]) {
  const rows: { id: number; reference: string; status: string }[] = await w.database
    .db('opportunities')
    .whereIn('id', w.created)
    .orderBy('id')
    .select('id', 'reference', 'status');
  expect(rows).toHaveLength(walks.length * 2);
  for (const row of rows) {
    const changes = (await w.eventsOf(row.id)).filter((e) => e.to_state !== null);
    // Each change starts where the previous one ended, from the draft the form created.
    expect([changes[0]?.action, changes[0]?.from_state], row.reference).toEqual([
      'request_started',
      null,
    ]);
    expect(changes[1]?.from_state, row.reference).toBe('draft');
    for (const [i, change] of changes.entries()) {
      if (i > 0) expect(change.from_state, row.reference).toBe(changes[i - 1]!.to_state);
    }
    const last = changes.at(-1)?.to_state;
    if (w.forcedReady.includes(row.id)) {
      // The one status set by hand, which this check exists to catch.
      expect([row.status, last], row.reference).toEqual(['ready', 'screened']);
    } else {
      expect(row.status, row.reference).toBe(last);
    }
  }
  expect(rows.map((r) => r.status)).toEqual(expected);
}

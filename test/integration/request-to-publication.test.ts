import { parse } from 'node-html-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/platform/roles.ts';
import { pino } from 'pino';
import { closingJobs } from '../../src/opportunities/closing.ts';
import { createJobRunner } from '../../src/platform/jobs.ts';
import type { Lang } from '../../src/platform/i18n.ts';
import type { OutboxRow } from '../../src/platform/mail/outbox.ts';
import {
  CAP_CENTS,
  formatMoney,
  highestPreTaxPriceCents,
  maxTotalCents,
} from '../../src/platform/money.ts';
import { url, type PageName, type UrlParams } from '../../src/platform/routes.ts';
import { previewTokenHash, previewTokenOf } from '../../src/publishing/preview-link.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment } from '../helpers/fixtures.ts';
import { insertPerson, signIn } from '../helpers/people.ts';
import { agent } from '../helpers/session.ts';

/**
 * The whole stretch of issue 5, through HTTP only, for two departments: a client's request
 * written step by step, submitted, screened, approved under section 32, translated, previewed,
 * published and closed by the job at its deadline — with the refusals on the way. ESDC works in
 * English, TBS in French (pages, writing and emails), so every refusal is read in both languages.
 * The clock moves one day between steps: the events table then says how long each one took.
 */

const PASSWORD = 'whole flow passphrase';
const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;
const SUBSCRIBER = 'reader@example.com';

type StepForms = Record<1 | 2 | 3 | 4 | 5, Record<string, string>>;

interface Walk {
  acronym: { en: string; fr: string };
  /** The staff's e-mail domain is `<slug>.example.ca`. */
  slug: 'esdc' | 'tbs';
  /** The language of the department's people: pages, what the client writes, emails. */
  lang: Lang;
  /** Day 0: the client starts writing (a Monday, 10:00 Eastern). */
  start: string;
  /** The request walked to the end. Step 4's price is typed by the walk. */
  request: StepForms;
  /** The cap by one cent, then the cap exactly, typed the way a person of the language types. */
  typedPrices: { overCap: string; cap: string };
  /** A price the client comes back to from the review page, if any (about $7,000 with tax). */
  changedPrice?: { typed: string; cents: number };
  /** Texts of the other language, typed by the program officer in the side-by-side editor. */
  translation: Record<string, string>;
  /** The request of the person who is both client and section 32 manager. */
  ownRequest: StepForms;
  /** Seven days after the start, plus 10 business days, at 14:00 Eastern. */
  expectedClosesAt: string;
  /** Days 4 and 5 at 10:00 Eastern, as the request page writes them. */
  translationShown: { requested: string; received: string };
  /** Set when the department is inserted. */
  departmentId: number;
}

const walks: Walk[] = [
  {
    acronym: { en: 'ESDC', fr: 'EDSC' },
    slug: 'esdc',
    lang: 'en',
    start: '2026-11-23T15:00:00Z',
    request: {
      1: {
        title: 'Add French messages to the form validator',
        summary: 'The validator only speaks English; add French messages.',
        description: '### Background\n\nThe validator only speaks **English**.',
      },
      2: {
        repositoryUrl: 'https://github.com/esdc-edsc/form-validator',
        licence: 'MIT',
        skills: 'TypeScript\nAccessibility',
      },
      3: {
        acceptanceCriteria: 'All existing tests pass\nEvery message exists in French',
        mandatoryCriteria: 'A merged pull request in TypeScript\nExperience with i18n',
      },
      4: { deliveryDueOn: '2027-01-29', preferredOpensOn: '', preferredClosesOn: '' },
      5: { costCentre: '100234', fund: '1000', glAccount: '52202', paymentMethod: 'paypal_payout' },
    },
    typedPrices: { overCap: '8,695.66', cap: '8,695.65' },
    translation: {
      title_fr: 'Ajouter des messages en français au validateur de formulaires',
      summary_fr: 'Le validateur ne parle qu’anglais : ajouter des messages en français.',
      description_fr: '### Contexte\n\nLe validateur ne parle qu’**anglais**.',
      skills_fr: 'TypeScript\nAccessibilité',
      'mandatory-1_fr': 'Une demande de tirage fusionnée en TypeScript',
      'mandatory-2_fr': 'Expérience de l’internationalisation',
      'acceptance-1_fr': 'Tous les tests existants réussissent',
      'acceptance-2_fr': 'Chaque message existe en français',
    },
    ownRequest: {
      1: {
        title: 'Add a dark mode to the design system',
        summary: 'The design system has no dark mode.',
        description: 'Users ask for it.',
      },
      2: {
        repositoryUrl: 'https://github.com/esdc-edsc/design-system',
        licence: 'Apache-2.0',
        skills: 'CSS',
      },
      3: { acceptanceCriteria: 'Contrast meets WCAG 2.1 AA', mandatoryCriteria: 'Public CSS work' },
      4: {
        price: '1000',
        deliveryDueOn: '2027-02-26',
        preferredOpensOn: '',
        preferredClosesOn: '',
      },
      5: { costCentre: '100235', fund: '1000', glAccount: '52202', paymentMethod: 'paypal_payout' },
    },
    // Monday, November 30 + 10 business days = Monday, December 14, 14:00 EST.
    expectedClosesAt: '2026-12-14T19:00:00.000Z',
    translationShown: {
      requested: 'November 27, 2026 at 10:00 a.m. (Eastern time)',
      received: 'November 28, 2026 at 10:00 a.m. (Eastern time)',
    },
    departmentId: 0,
  },
  {
    acronym: { en: 'TBS', fr: 'SCT' },
    slug: 'tbs',
    lang: 'fr',
    start: '2027-01-11T15:00:00Z',
    request: {
      1: {
        title: 'Traduire le tableau de bord des achats',
        summary: 'Le tableau de bord n’existe qu’en français; il faut une version anglaise.',
        description: '### Contexte\n\nLes gestionnaires anglophones ne peuvent pas le lire.',
      },
      2: {
        repositoryUrl: 'https://gitlab.com/sct-tbs/tableau-de-bord',
        licence: 'Apache-2.0',
        skills: 'Python\nInternationalisation',
      },
      3: {
        acceptanceCriteria: 'Toutes les pages existent en anglais',
        mandatoryCriteria: 'Une contribution publique en Python\nUne expérience de gettext',
      },
      4: { deliveryDueOn: '2027-03-31', preferredOpensOn: '', preferredClosesOn: '' },
      5: { costCentre: '100234', fund: 'F2027', glAccount: '52202', paymentMethod: 'card_direct' },
    },
    typedPrices: { overCap: '8 695,66', cap: '8 695,65' },
    changedPrice: { typed: '6 100,00', cents: 610_000 },
    translation: {
      title_en: 'Translate the purchasing dashboard',
      summary_en: 'The dashboard exists in French only; it needs an English version.',
      description_en: '### Background\n\nEnglish-speaking managers cannot read it.',
      skills_en: 'Python\nInternationalization',
      'mandatory-1_en': 'A public contribution in Python',
      'mandatory-2_en': 'Experience with gettext',
      'acceptance-1_en': 'Every page exists in English',
    },
    ownRequest: {
      1: {
        title: 'Corriger l’export CSV',
        summary: 'L’export CSV perd les accents.',
        description: 'Les accents deviennent des points d’interrogation.',
      },
      2: {
        repositoryUrl: 'https://gitlab.com/sct-tbs/export-csv',
        licence: 'MIT',
        skills: 'Python',
      },
      3: { acceptanceCriteria: 'Les accents sont conservés', mandatoryCriteria: 'Du code Python' },
      4: {
        price: '1 000,00',
        deliveryDueOn: '2027-04-30',
        preferredOpensOn: '',
        preferredClosesOn: '',
      },
      5: { costCentre: '100235', fund: 'F2027', glAccount: '52202', paymentMethod: 'paypal_payout' },
    },
    // Monday, January 18 + 10 business days = Monday, February 1, 14:00 EST.
    expectedClosesAt: '2027-02-01T19:00:00.000Z',
    translationShown: {
      requested: '15 janvier 2027 à 10\u00a0h (heure de l’Est)',
      received: '16 janvier 2027 à 10\u00a0h (heure de l’Est)',
    },
    departmentId: 0,
  },
];

/** What a person reads, in each language. */
const messages = {
  en: {
    overCap: `With tax at the highest provincial rate, this price comes to more than ${formatMoney(CAP_CENTS, 'en')}. Enter ${formatMoney(highestPreTaxPriceCents(), 'en')} or less before tax.`,
    overLimit:
      'The amount including tax is above your delegated limit under section 32. Ask a manager with a higher limit.',
    ownRequest: 'You requested this opportunity, so another person must do this step.',
    stale:
      'Someone changed this opportunity since you opened the page, or you clicked twice. Reload the page to see its current state.',
    missingFrench: 'Mandatory criterion 2: enter the French text.',
    noFunds:
      'There is no section 32 fund reservation for this opportunity: it cannot be published.',
    noFundsOnPage:
      'None: the opportunity cannot be published without a section 32 fund reservation.',
    facts: {
      reservation: 'Fund reservation number',
      amount: 'Amount including tax',
      approvedBy: 'Approved by',
      limit: 'Their delegated limit',
      requestedAt: 'Translation requested on',
      receivedAt: 'Translation received on',
    },
    previewBanner: 'Preview — this opportunity is not published yet',
    status: {
      draft: 'Draft',
      submitted: 'Submitted',
      screened: 'Screened',
      funds_approved: 'Funds approved',
      translated: 'Translated',
      ready: 'Ready to publish',
      published: 'Open',
      closed: 'Closed',
    },
  },
  fr: {
    overCap: `Avec les taxes au taux provincial le plus élevé, ce prix dépasse ${formatMoney(CAP_CENTS, 'fr')}. Entrez ${formatMoney(highestPreTaxPriceCents(), 'fr')} ou moins hors taxes.`,
    overLimit:
      'Le montant, taxes incluses, dépasse votre pouvoir délégué en vertu de l’article 32. Adressez-vous à un gestionnaire dont la limite est plus élevée.',
    ownRequest:
      'Vous avez demandé cette occasion\u00a0: une autre personne doit effectuer cette étape.',
    stale:
      'Quelqu’un a modifié cette occasion depuis l’ouverture de la page, ou vous avez cliqué deux fois. Rechargez la page pour voir son état actuel.',
    missingFrench: 'Critère obligatoire 2\u00a0: saisissez le texte en français.',
    noFunds:
      'Il n’y a aucune réservation de fonds en vertu de l’article 32 pour cette occasion\u00a0: elle ne peut pas être publiée.',
    noFundsOnPage:
      'Aucune\u00a0: l’occasion ne peut pas être publiée sans réservation de fonds en vertu de l’article 32.',
    facts: {
      reservation: 'Numéro de réservation de fonds',
      amount: 'Montant, taxes incluses',
      approvedBy: 'Approuvée par',
      limit: 'Son pouvoir délégué',
      requestedAt: 'Traduction demandée le',
      receivedAt: 'Traduction reçue le',
    },
    previewBanner: 'Aperçu — cette occasion n’est pas encore publiée',
    status: {
      draft: 'Ébauche',
      submitted: 'Soumise',
      screened: 'Examinée',
      funds_approved: 'Fonds approuvés',
      translated: 'Traduite',
      ready: 'Prête à publier',
      published: 'Ouverte',
      closed: 'Fermée',
    },
  },
} as const;

type StatusShown = keyof (typeof messages)['en']['status'];

/** The staff of each department, by the first part of their e-mail address. */
const staff: { name: string; grants: { role: Role; limitCents?: number }[] }[] = [
  { name: 'client', grants: [{ role: 'client' }] },
  { name: 'client2', grants: [{ role: 'client' }] },
  { name: 'officer', grants: [{ role: 'program_officer' }] },
  { name: 'manager', grants: [{ role: 'section32_manager', limitCents: 1_000_000 }] },
  { name: 'low-limit', grants: [{ role: 'section32_manager', limitCents: 500_000 }] },
  // Requests purchases and approves them under section 32: never their own.
  {
    name: 'manager-client',
    grants: [{ role: 'client' }, { role: 'section32_manager', limitCents: 1_000_000 }],
  },
];

let database: TestDatabase;
let t: TestApp;
const ids: Record<string, number> = {};
/** The opportunities the walks create, and those set to 'ready' by hand for a negative case. */
const created: number[] = [];
const forcedReady: number[] = [];

const emailOf = (walk: Walk, name: string) => `${name}@${walk.slug}.example.ca`;
const idOf = (walk: Walk, name: string) => ids[emailOf(walk, name)]!;

type Agent = ReturnType<typeof agent>;
const sessions = new Map<string, Agent>();

/**
 * Signed in as one of a department's staff. A session ends 12 hours after sign-in and the clock
 * moves a day between steps, so each person signs in again on each day, once.
 */
async function as(walk: Walk, name: string): Promise<Agent> {
  const email = emailOf(walk, name);
  const key = `${email} ${t.clock.now().toISOString()}`;
  const existing = sessions.get(key);
  if (existing) return existing;
  const a = await signIn(t.app, email, PASSWORD, walk.lang);
  sessions.set(key, a);
  return a;
}

const html = (text: string) => parse(text);
const errorsOf = (text: string) =>
  html(text)
    .querySelectorAll('.error-summary li')
    .map((li) => li.textContent.trim());
const statusOf = (text: string) => html(text).querySelector('.card-tags .tag')?.textContent;
/** Each term of a page's description lists and its description (the first, if repeated). */
function factsOf(text: string): Record<string, string> {
  const found: Record<string, string> = {};
  const clean = (s: string) => s.replace(/[ \t\r\n]+/g, ' ').trim();
  for (const dt of html(text).querySelectorAll('dt')) {
    found[clean(dt.textContent)] ??= clean(dt.nextElementSibling?.textContent ?? '');
  }
  return found;
}
const inputValue = (text: string, name: string) =>
  html(text).querySelector(`input[name="${name}"]`)?.getAttribute('value') ?? '';

const opportunity = (id: number) => database.db('opportunities').where({ id }).first();
const eventsOf = (id: number) =>
  database.db('events').where({ entity_type: 'opportunity', entity_id: id }).orderBy('id');
const reservationsOf = (id: number) =>
  database.db('fund_reservations').where({ opportunity_id: id });

/** The state of a request that a refused step must leave exactly as it was. */
async function snapshot(id: number) {
  return {
    row: await opportunity(id),
    events: (await eventsOf(id)).length,
    reservations: await reservationsOf(id),
    emails: Number((await database.db('outbox').count({ n: '*' }).first())?.n),
  };
}

/** Emails queued since the last call, as [template, recipient, language], sorted. */
let outboxSeen = 0;
async function newEmails(): Promise<{ rows: OutboxRow[]; sent: string[][] }> {
  const rows: OutboxRow[] = await database.db('outbox').where('id', '>', outboxSeen).orderBy('id');
  outboxSeen = Math.max(outboxSeen, ...rows.map((r) => Number(r.id)));
  return {
    rows,
    sent: rows.map((r) => [r.template, r.recipient, r.language ?? '']).sort(),
  };
}

/** The references listed in one queue of "Needs attention" / « À traiter ». */
async function queue(a: Agent, lang: Lang, name: string): Promise<string[]> {
  const res = await a.client.get(url('workQueues', {}, lang)).expect(200);
  const heading = html(res.text).querySelector(`#${name}`);
  expect(heading, name).not.toBeNull();
  const next = heading!.nextElementSibling;
  return next?.tagName === 'TABLE'
    ? next.querySelectorAll('tbody th a').map((link) => link.textContent.trim())
    : [];
}

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db, { now: walks[0]!.start });
  for (const walk of walks) {
    walk.departmentId = await insertDepartment(database.db, walk.acronym);
    for (const person of staff) {
      const email = emailOf(walk, person.name);
      ids[email] = await insertPerson(database.db, {
        email,
        password: PASSWORD,
        name: `${person.name} ${walk.acronym.en}`,
        language: walk.lang,
        grants: person.grants.map((g) => ({ ...g, department: walk.departmentId })),
        confirmedAt: t.clock.now(),
      });
    }
  }
  await database.db('subscribers').insert({
    email: SUBSCRIBER,
    language: 'en',
    unsubscribe_token: 'reader-token',
    created_at: t.clock.now(),
    confirmed_at: t.clock.now(),
  });
});

afterAll(async () => {
  await database.drop();
});

describe.each(walks)('a request of $acronym.en from the client’s need to its closing', (walk) => {
  const lang = walk.lang;
  const say = messages[lang];
  const other = walks.find((w) => w !== walk)!;
  const path = (page: PageName, params: UrlParams = {}) => url(page, params, lang);
  const day = (n: number) => new Date(new Date(walk.start).getTime() + n * DAY_MS);
  const onDay = (n: number) => t.clock.set(day(n).toISOString());
  const request = { id: 0, ref: '' };
  const own = { id: 0, ref: '' };
  const finalPriceCents = walk.changedPrice?.cents ?? highestPreTaxPriceCents();
  const finalTotal = maxTotalCents(finalPriceCents);

  /** The status the request page shows this person, and the same on the database row. */
  async function expectStatus(a: Agent, ref: string, status: StatusShown) {
    const page = await a.client.get(path('request', { ref })).expect(200);
    expect(statusOf(page.text)).toBe(say.status[status]);
    expect((await database.db('opportunities').where({ reference: ref }).first()).status).toBe(
      status,
    );
  }

  /** Nobody of the other department learns the request exists, nor changes it. */
  async function expectHiddenFromOtherDepartment(ref: string, id: number) {
    const before = await snapshot(id);
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
      const outsider = await as(other, name);
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
      const outsider = await as(other, name);
      const res = await outsider.post(
        url(page, { ref }, other.lang),
        { ...form, version: String(before.row.version) },
        url('workQueues', {}, other.lang),
      );
      expect(res.status, `${name} of ${other.acronym.en} posting ${page}`).toBe(404);
    }
    expect(await snapshot(id)).toEqual(before);
  }

  /** Starts a request and saves the five steps; returns its reference and id. */
  async function writeRequest(a: Agent, steps: StepForms) {
    const started = await a.post(path('newRequest'), {
      department: String(walk.departmentId),
      sourceLanguage: lang,
    });
    expect(started.status).toBe(303);
    const ref = /(MA-\d{4}-\d{4})/.exec(started.headers.location ?? '')![1]!;
    expect(started.headers.location).toBe(path('requestStep', { ref, step: 1 }));
    const { id } = await database.db('opportunities').where({ reference: ref }).first('id');
    created.push(id);
    for (const step of [1, 2, 3, 4, 5] as const) {
      const res = await a.post(path('requestStep', { ref, step }), {
        ...steps[step],
        then: 'continue',
      });
      expect(res.status, `step ${step}: ${errorsOf(res.text).join(' | ')}`).toBe(303);
    }
    return { ref, id: id as number };
  }

  async function saveStep(a: Agent, ref: string, step: number, form: Record<string, string>) {
    return a.post(path('requestStep', { ref, step }), { ...form, then: 'continue' });
  }

  async function submit(a: Agent, ref: string) {
    const review = await a.client.get(path('requestReview', { ref })).expect(200);
    return a.post(path('requestReview', { ref }), { version: inputValue(review.text, 'version') });
  }

  it('day 0: the client writes the request; one cent over the cap is refused, the cap itself accepted', async () => {
    onDay(0);
    expect(highestPreTaxPriceCents()).toBe(869_565);
    const client = await as(walk, 'client');
    const started = await client.post(path('newRequest'), {
      department: String(walk.departmentId),
      sourceLanguage: lang,
    });
    expect(started.status).toBe(303);
    request.ref = /(MA-\d{4}-\d{4})/.exec(started.headers.location ?? '')![1]!;
    const ref = request.ref;
    const draft = await database.db('opportunities').where({ reference: ref }).first();
    request.id = draft.id;
    created.push(draft.id);
    expect(draft).toMatchObject({
      status: 'draft',
      department_id: walk.departmentId,
      requester_id: idOf(walk, 'client'),
      source_language: lang,
    });
    for (const step of [1, 2, 3] as const) {
      expect((await saveStep(client, ref, step, walk.request[step])).status, `step ${step}`).toBe(
        303,
      );
    }
    await expectStatus(client, ref, 'draft');

    // Step 4: the tax-inclusive total one cent over $10,000 is refused, with the message.
    const before = await snapshot(request.id);
    const over = await saveStep(client, ref, 4, {
      ...walk.request[4],
      price: walk.typedPrices.overCap,
    });
    expect(over.status).toBe(400);
    expect(errorsOf(over.text)).toEqual([say.overCap]);
    expect(inputValue(over.text, 'price')).toBe(walk.typedPrices.overCap);
    expect(maxTotalCents(highestPreTaxPriceCents() + 1)).toBe(CAP_CENTS + 1);
    expect(await snapshot(request.id)).toEqual(before);
    expect(before.row.price_cents).toBeNull();

    const cap = await saveStep(client, ref, 4, { ...walk.request[4], price: walk.typedPrices.cap });
    expect(cap.status).toBe(303);
    expect(cap.headers.location).toBe(path('requestStep', { ref, step: 5 }));
    expect(await opportunity(request.id)).toMatchObject({
      price_cents: highestPreTaxPriceCents(),
      max_total_cents: CAP_CENTS,
    });
    const finances = await saveStep(client, ref, 5, walk.request[5]);
    expect(finances.headers.location).toBe(path('requestReview', { ref }));

    if (walk.changedPrice) {
      // The client thinks again and lowers the price from the review page's link to step 4.
      const review = await client.client.get(path('requestReview', { ref })).expect(200);
      expect(
        html(review.text).querySelector(`a[href="${path('requestStep', { ref, step: 4 })}"]`),
      ).not.toBeNull();
      const lowered = await saveStep(client, ref, 4, {
        ...walk.request[4],
        price: walk.changedPrice.typed,
      });
      expect(lowered.status).toBe(303);
    }
    const review = await client.client.get(path('requestReview', { ref })).expect(200);
    expect(review.text).toContain(formatMoney(finalTotal, lang));
    expect(await opportunity(request.id)).toMatchObject({
      price_cents: finalPriceCents,
      max_total_cents: finalTotal,
      completed_steps: ['1', '2', '3', '4', '5'],
    });

    // A colleague may not change it; the other department does not see it at all.
    const colleague = await as(walk, 'client2');
    expect((await colleague.client.get(path('requestStep', { ref, step: 1 }))).status).toBe(403);
    await expectHiddenFromOtherDepartment(ref, request.id);

    // The person who is both client and section 32 manager writes a request of their own.
    const ownRequest = await writeRequest(await as(walk, 'manager-client'), walk.ownRequest);
    Object.assign(own, ownRequest);
    expect((await newEmails()).sent).toEqual([]);
  });

  it('day 1: both are submitted; the program officers of the department are told', async () => {
    onDay(1);
    const client = await as(walk, 'client');
    const submitted = await submit(client, request.ref);
    expect(submitted.status).toBe(303);
    expect(submitted.headers.location).toBe(`${path('requests')}?notice=submitted`);
    const list = await client.client.get(submitted.headers.location!).expect(200);
    const line = html(list.text)
      .querySelectorAll('tbody tr')
      .find((tr) => tr.textContent.includes(request.ref));
    expect(line?.querySelector('.tag')?.textContent).toBe(say.status.submitted);
    await expectStatus(client, request.ref, 'submitted');
    expect((await submit(await as(walk, 'manager-client'), own.ref)).status).toBe(303);

    expect((await newEmails()).sent).toEqual([
      ['request-submitted', emailOf(walk, 'officer'), lang],
      ['request-submitted', emailOf(walk, 'officer'), lang],
    ]);
    const officer = await as(walk, 'officer');
    expect(await queue(officer, lang, 'program_officer-toScreen')).toEqual([request.ref, own.ref]);
    const outsider = await as(other, 'officer');
    expect(await queue(outsider, other.lang, 'program_officer-toScreen')).not.toContain(
      request.ref,
    );
  });

  it('day 2: the program officer screens both; the section 32 managers are asked', async () => {
    onDay(2);
    const officer = await as(walk, 'officer');
    for (const r of [request, own]) {
      const page = await officer.client.get(path('request', { ref: r.ref })).expect(200);
      const res = await officer.post(
        path('screenRequest', { ref: r.ref }),
        { decision: 'accept', comments: '', version: inputValue(page.text, 'version') },
        path('request', { ref: r.ref }),
      );
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`${path('request', { ref: r.ref })}?done=accepted`);
    }
    await expectStatus(officer, request.ref, 'screened');
    // Each section 32 manager of the department, once per request; never the other department's.
    const managers = ['low-limit', 'manager', 'manager-client'].map((n) => emailOf(walk, n));
    expect((await newEmails()).sent).toEqual(
      managers
        .flatMap((m) => [
          ['funds-approval-needed', m, lang],
          ['funds-approval-needed', m, lang],
        ])
        .sort(),
    );
    expect(await queue(officer, lang, 'program_officer-toScreen')).toEqual([]);
    expect(await queue(await as(walk, 'manager'), lang, 'section32_manager-toApprove')).toEqual([
      request.ref,
      own.ref,
    ]);
  });

  it('day 3: section 32 refuses the $5,000 manager and self-approval; a double click approves once', async () => {
    onDay(3);
    // Over the delegated limit: $5,000 against the total including tax.
    const low = await as(walk, 'low-limit');
    const lowPage = await low.client.get(path('approveFunds', { ref: request.ref })).expect(200);
    const before = await snapshot(request.id);
    const refused = await low.post(path('approveFunds', { ref: request.ref }), {
      reservationNumber: 'FR-LOW-1',
      attest: 'yes',
      version: inputValue(lowPage.text, 'version'),
    });
    expect(refused.status).toBe(409);
    expect(errorsOf(refused.text)).toEqual([say.overLimit]);
    expect(inputValue(refused.text, 'reservationNumber')).toBe('FR-LOW-1');
    expect(await snapshot(request.id)).toEqual(before);

    // Self-approval: the requester holds the role and the limit, and is still refused.
    const self = await as(walk, 'manager-client');
    const ownPage = await self.client.get(path('approveFunds', { ref: own.ref })).expect(200);
    const ownBefore = await snapshot(own.id);
    const selfApproval = await self.post(path('approveFunds', { ref: own.ref }), {
      reservationNumber: 'FR-SELF-1',
      attest: 'yes',
      version: inputValue(ownPage.text, 'version'),
    });
    expect(selfApproval.status).toBe(409);
    expect(errorsOf(selfApproval.text)).toEqual([say.ownRequest]);
    expect(await snapshot(own.id)).toEqual(ownBefore);

    await expectHiddenFromOtherDepartment(request.ref, request.id);

    // The $10,000 manager approves; the second click of the same page is stale.
    const manager = await as(walk, 'manager');
    const page = await manager.client.get(path('approveFunds', { ref: request.ref })).expect(200);
    const attestation = html(page.text).querySelector('label[for="attest"]')!.textContent.trim();
    expect(attestation).toContain(formatMoney(finalTotal, lang));
    const form = {
      reservationNumber: `FR-${walk.slug.toUpperCase()}-004512`,
      attest: 'yes',
      version: inputValue(page.text, 'version'),
    };
    // Both clicks leave before the first answer comes back, as a double click does.
    const clicks = await Promise.all(
      [1, 2].map(() => manager.post(path('approveFunds', { ref: request.ref }), form)),
    );
    const [first, second] = clicks.sort((x, y) => x.status - y.status);
    expect(first!.status).toBe(303);
    expect(first!.headers.location).toBe(
      `${path('request', { ref: request.ref })}?done=fundsApproved`,
    );
    expect(second!.status).toBe(409);
    expect(errorsOf(second!.text)).toEqual([say.stale]);
    // A third, later click of the same page is refused the same way.
    const third = await manager.post(path('approveFunds', { ref: request.ref }), form);
    expect(third.status).toBe(409);
    expect(errorsOf(third.text)).toEqual([say.stale]);

    const approvals = (await eventsOf(request.id)).filter((e) => e.action === 'approve_funds');
    expect(approvals).toHaveLength(1);
    const reservations = await reservationsOf(request.id);
    expect(reservations).toHaveLength(1);
    expect(reservations[0]).toMatchObject({
      department_id: walk.departmentId,
      reservation_number: form.reservationNumber,
      amount_cents: finalTotal,
      cost_centre: walk.request[5].costCentre,
      fund: walk.request[5].fund,
      gl_account: walk.request[5].glAccount,
      delegated_limit_cents: 1_000_000,
      attestation,
      // The wording in the language the manager read it: English for ESDC, French for TBS.
      attestation_language: lang,
      approved_by: idOf(walk, 'manager'),
      release_requested_at: null,
    });
    expect(reservations[0].approved_at).toEqual(day(3));
    await expectStatus(manager, request.ref, 'funds_approved');
    const shown = await manager.client.get(path('request', { ref: request.ref })).expect(200);
    expect(factsOf(shown.text)).toMatchObject({
      [say.facts.reservation]: form.reservationNumber,
      [say.facts.amount]: formatMoney(finalTotal, lang),
      [say.facts.approvedBy]: `manager ${walk.acronym.en}`,
      [say.facts.limit]: formatMoney(1_000_000, lang),
    });

    expect((await newEmails()).sent).toEqual([
      ['translation-needed', emailOf(walk, 'officer'), lang],
    ]);
    const officer = await as(walk, 'officer');
    expect(await queue(officer, lang, 'program_officer-toTranslate')).toEqual([request.ref]);
    expect(await queue(manager, lang, 'section32_manager-toApprove')).toEqual([own.ref]);
  });

  it('day 4: the program officer records that translation was requested', async () => {
    onDay(4);
    const officer = await as(walk, 'officer');
    const editor = await officer.client.get(path('translation', { ref: request.ref })).expect(200);
    const res = await officer.post(path('translation', { ref: request.ref }), {
      ...editorTexts(editor.text),
      version: inputValue(editor.text, 'version'),
      intent: 'request',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${path('translation', { ref: request.ref })}?done=request`);
    expect((await opportunity(request.id)).translation_requested_at).toEqual(day(4));
    await expectStatus(officer, request.ref, 'funds_approved');
    expect((await newEmails()).sent).toEqual([]);
  });

  it('day 5: completing with a French criterion empty is refused naming it; then the translation is complete', async () => {
    onDay(5);
    const officer = await as(walk, 'officer');
    const editor = await officer.client.get(path('translation', { ref: request.ref })).expect(200);
    const full = { ...editorTexts(editor.text), ...walk.translation };
    const texts = { ...full, 'mandatory-2_fr': '' };
    const before = await snapshot(request.id);
    const refused = await officer.post(path('translation', { ref: request.ref }), {
      ...texts,
      version: inputValue(editor.text, 'version'),
      intent: 'complete',
    });
    expect(refused.status).toBe(400);
    expect(errorsOf(refused.text)).toEqual([say.missingFrench]);
    expect(html(refused.text).querySelector('.error-summary a')?.getAttribute('href')).toBe(
      '#mandatory-2_fr',
    );
    // The editor keeps what was typed (saved, by design, so nothing is lost) but the request
    // does not move: same status, no transition, no preview, nobody told.
    const after = await snapshot(request.id);
    expect(after.row).toMatchObject({
      status: 'funds_approved',
      translation_received_at: null,
      preview_token_hash: null,
    });
    const added = (await eventsOf(request.id)).slice(before.events).map((e) => e.action);
    expect(added.every((action) => action === 'translation_saved')).toBe(true);
    expect(after.emails).toBe(before.emails);
    expect(after.reservations).toEqual(before.reservations);

    const done = await officer.post(path('translation', { ref: request.ref }), {
      ...full,
      version: inputValue(refused.text, 'version'),
      intent: 'complete',
    });
    expect(done.status, errorsOf(done.text).join(' | ')).toBe(303);
    const translated = await opportunity(request.id);
    expect(translated.translation_received_at).toEqual(day(5));
    const token = previewTokenOf(t.deps.config.SESSION_SECRET, translated)!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(translated.preview_token_hash).toBe(previewTokenHash(token));
    await expectStatus(officer, request.ref, 'translated');
    const shown = await officer.client.get(path('request', { ref: request.ref })).expect(200);
    expect(factsOf(shown.text)).toMatchObject({
      [say.facts.requestedAt]: walk.translationShown.requested,
      [say.facts.receivedAt]: walk.translationShown.received,
    });

    const { rows, sent } = await newEmails();
    expect(sent).toEqual([['preview-ready', emailOf(walk, 'client'), lang]]);
    expect(rows[0]!.data.link).toEqual({
      en: url('preview', { token }, 'en'),
      fr: url('preview', { token }, 'fr'),
    });
    expect(await queue(await as(walk, 'client'), lang, 'client-previews')).toEqual([request.ref]);
    expect(await queue(await as(walk, 'client2'), lang, 'client-previews')).toEqual([]);
    expect(await queue(officer, lang, 'program_officer-toTranslate')).toEqual([]);
  });

  it('day 6: the client approves the preview reached from the email', async () => {
    onDay(6);
    const client = await as(walk, 'client');
    const [email] = await database
      .db('outbox')
      .where({ template: 'preview-ready', recipient: emailOf(walk, 'client') })
      .orderBy('id', 'desc');
    const previewPath: string = email.data.link[lang];
    const preview = await client.client.get(previewPath).expect(200);
    expect(preview.text).toContain(say.previewBanner);
    const approveForm = html(preview.text).querySelector('form#approve')!;
    expect(approveForm.getAttribute('action')).toBe(path('approvePreview', { ref: request.ref }));
    const res = await client.post(
      path('approvePreview', { ref: request.ref }),
      { version: approveForm.querySelector('input[name="version"]')!.getAttribute('value')! },
      previewPath,
    );
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${previewPath}?done=approved`);
    await expectStatus(client, request.ref, 'ready');
    expect((await newEmails()).sent).toEqual([
      ['ready-to-publish', emailOf(walk, 'officer'), lang],
    ]);
    expect(await queue(await as(walk, 'officer'), lang, 'program_officer-toPublish')).toEqual([
      request.ref,
    ]);
  });

  it('day 7: the program officer publishes; publishing without section 32 is refused', async () => {
    onDay(7);
    await expectHiddenFromOtherDepartment(request.ref, request.id);
    const officer = await as(walk, 'officer');
    const page = await officer.client.get(path('publish', { ref: request.ref })).expect(200);
    const form: Record<string, string> = {};
    for (const name of ['version', 'openingDate', 'openingTime', 'closingDate', 'closingTime']) {
      form[name] = inputValue(page.text, name);
    }
    const res = await officer.post(path('publish', { ref: request.ref }), form);
    expect(res.status, errorsOf(res.text).join(' | ')).toBe(303);
    expect(res.headers.location).toBe(path('opportunity', { ref: request.ref }));
    const published = await opportunity(request.id);
    expect(published.opens_at).toEqual(day(7));
    expect(published.closes_at.toISOString()).toBe(walk.expectedClosesAt);
    await expectStatus(officer, request.ref, 'published');
    const publicPage = await agent(t.app).client.get(res.headers.location!).expect(200);
    expect(html(publicPage.text).querySelector('h1')?.textContent).toBe(walk.request[1].title);
    expect((await newEmails()).sent).toEqual([
      ['new-opportunity', SUBSCRIBER, 'en'],
      ['opportunity-published', emailOf(walk, 'client'), lang],
    ]);
    expect(await queue(officer, lang, 'program_officer-toPublish')).toEqual([]);

    // Publishing without section 32: the only way to reach 'ready' without a fund reservation is
    // to bypass the lifecycle, so this one negative case sets the status by a direct update
    // (the final check below knows this request's status has no matching event).
    await database.db('opportunities').where({ id: own.id }).update({ status: 'ready' });
    forcedReady.push(own.id);
    // The database's own trigger refuses to publish it too.
    await expect(
      database.db('opportunities').where({ id: own.id }).update({ status: 'published' }),
    ).rejects.toThrow(/no section 32 fund reservation/);
    const ownPage = await officer.client.get(path('publish', { ref: own.ref })).expect(200);
    expect(ownPage.text).toContain(say.noFundsOnPage);
    const before = await snapshot(own.id);
    const ownForm: Record<string, string> = {};
    for (const name of ['version', 'openingDate', 'openingTime', 'closingDate', 'closingTime']) {
      ownForm[name] = inputValue(ownPage.text, name);
    }
    const refused = await officer.post(path('publish', { ref: own.ref }), ownForm);
    expect(refused.status).toBe(409);
    expect(errorsOf(refused.text)).toEqual([say.noFunds]);
    expect(await snapshot(own.id)).toEqual(before);
    expect(before.row).toMatchObject({ status: 'ready', opens_at: null, closes_at: null });
  });

  it('at the deadline: the closing job closes it, as the system, and tells the client', async () => {
    const closesAt = new Date(walk.expectedClosesAt);
    // The job publishing scheduled at the deadline, run by a process's job runner.
    const logger = pino({ level: 'silent' });
    const closing = createJobRunner({
      connectionString: database.url,
      clock: t.clock,
      logger,
      jobs: [closingJobs({ db: database.db, clock: t.clock, logger })],
    });
    t.clock.set(new Date(closesAt.getTime() - MINUTE_MS).toISOString());
    expect(await closing.runDueJobs(t.clock.now())).toBe(0);
    expect((await opportunity(request.id)).status).toBe('published');

    t.clock.set(new Date(closesAt.getTime() + MINUTE_MS).toISOString());
    expect(await closing.runDueJobs(t.clock.now())).toBe(1);
    expect(await closing.runDueJobs(t.clock.now())).toBe(0);
    await expectStatus(await as(walk, 'client'), request.ref, 'closed');
    const publicPage = await agent(t.app)
      .client.get(path('opportunity', { ref: request.ref }))
      .expect(200);
    expect(statusOf(publicPage.text)).toBe(say.status.closed);
    expect((await newEmails()).sent).toEqual([['deadline-passed', emailOf(walk, 'client'), lang]]);
  });

  it('leaves one event per step, a day apart, with who, from and to — and the reservation', async () => {
    const steps = (await eventsOf(request.id)).filter(
      (e) =>
        (e.to_state !== null && e.action !== 'request_started') ||
        e.action === 'translation_requested',
    );
    const person = (name: string) => idOf(walk, name);
    expect(steps.map((e) => [e.action, e.actor_id, e.from_state, e.to_state])).toEqual([
      ['submit', person('client'), 'draft', 'submitted'],
      ['screen', person('officer'), 'submitted', 'screened'],
      ['approve_funds', person('manager'), 'screened', 'funds_approved'],
      ['translation_requested', person('officer'), null, null],
      ['complete_translation', person('officer'), 'funds_approved', 'translated'],
      ['approve_preview', person('client'), 'translated', 'ready'],
      ['publish', person('officer'), 'ready', 'published'],
      ['close', null, 'published', 'closed'],
    ]);
    expect(steps.map((e) => e.at.toISOString())).toEqual([
      ...[1, 2, 3, 4, 5, 6, 7].map((n) => day(n).toISOString()),
      new Date(new Date(walk.expectedClosesAt).getTime() + MINUTE_MS).toISOString(),
    ]);
    // The time each step took: what the metrics will report.
    const started = (await eventsOf(request.id)).find((e) => e.action === 'request_started');
    expect(started.at).toEqual(day(0));
    const times: number[] = [started, ...steps].map((e) => e.at.getTime());
    const took = times.slice(1).map((ms, i) => ms - times[i]!);
    expect(took).toEqual([
      DAY_MS,
      DAY_MS,
      DAY_MS,
      DAY_MS,
      DAY_MS,
      DAY_MS,
      DAY_MS,
      new Date(walk.expectedClosesAt).getTime() + MINUTE_MS - day(7).getTime(),
    ]);
    expect(await reservationsOf(request.id)).toHaveLength(1);
    expect(await reservationsOf(own.id)).toHaveLength(0);

    // Every email about this department's requests went to its own people (or the mailing list).
    const emails = ((await database.db('outbox').select()) as OutboxRow[]).filter(
      (e) =>
        [request.ref, own.ref].includes(String(e.data.reference)) ||
        e.idempotency_key.startsWith(`new-opportunity:${request.id}:`) ||
        e.idempotency_key === `deadline-passed:${request.id}`,
    );
    // 2 submitted, 2 × 3 section 32 managers, then one per step and the subscriber.
    expect(emails).toHaveLength(14);
    const ownPeople = [SUBSCRIBER, ...staff.map((s) => emailOf(walk, s.name))];
    for (const e of emails) expect(ownPeople).toContain(e.recipient);
    expect(t.missingKeys).toEqual([]);
  });
});

/** Every textarea of the translation editor, as the page shows it. */
function editorTexts(text: string): Record<string, string> {
  const form: Record<string, string> = {};
  for (const area of html(text).querySelectorAll('form#translation-form textarea')) {
    form[area.getAttribute('name')!] = area.textContent;
  }
  return form;
}

describe('after both walks', () => {
  it('has a matching event for every status: nothing but transition() wrote one', async () => {
    const rows: { id: number; reference: string; status: string }[] = await database
      .db('opportunities')
      .whereIn('id', created)
      .orderBy('id')
      .select('id', 'reference', 'status');
    expect(rows).toHaveLength(walks.length * 2);
    for (const row of rows) {
      const changes = (await eventsOf(row.id)).filter((e) => e.to_state !== null);
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
      if (forcedReady.includes(row.id)) {
        // The one status set by hand above, which this check exists to catch.
        expect([row.status, last], row.reference).toEqual(['ready', 'screened']);
      } else {
        expect(row.status, row.reference).toBe(last);
      }
    }
    expect(rows.map((r) => r.status)).toEqual(['closed', 'ready', 'closed', 'ready']);
  });
});

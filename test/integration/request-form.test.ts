import { parse } from 'node-html-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeGrants } from '../../src/accounts/repo.ts';
import { transition } from '../../src/lifecycle/transition.ts';
import { opportunityMachine } from '../../src/opportunities/machine.ts';
import type { CurrentUser } from '../../src/platform/auth.ts';
import type { Lang } from '../../src/platform/i18n.ts';
import type { OutboxRow } from '../../src/platform/mail/outbox.ts';
import {
  formatMoney,
  highestPreTaxPriceCents,
  maxTotalCents,
  withinCap,
} from '../../src/platform/money.ts';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment, insertOpportunity } from '../helpers/fixtures.ts';
import { insertPerson, signIn, type Grant, type SignedIn } from '../helpers/people.ts';
import { agent } from '../helpers/session.ts';

const PASSWORD = 'request form passphrase';
let database: TestDatabase;
let t: TestApp;
let esdc: number;
let tbs: number;
const ids: Record<string, number> = {};

const insertStaff = (email: string, grants: Grant[], language: Lang = 'en') =>
  insertPerson(database.db, {
    email,
    password: PASSWORD,
    language,
    grants,
    confirmedAt: t.clock.now(),
  });
const signedIn = (email: string) => signIn(t.app, email, PASSWORD);

type Agent = SignedIn;

const stepPath = (ref: string, step: number, lang: Lang = 'en') =>
  url('requestStep', { ref, step }, lang);
const reviewPath = (ref: string, lang: Lang = 'en') => url('requestReview', { ref }, lang);
const row = (reference: string) => database.db('opportunities').where({ reference }).first();
const html = (text: string) => parse(text);
const valueOf = (text: string, name: string) => {
  const doc = html(text);
  const input = doc.querySelector(`input[name="${name}"]`);
  if (input) return input.getAttribute('value') ?? '';
  const area = doc.querySelector(`textarea[name="${name}"]`);
  if (area) return area.textContent;
  return doc.querySelector(`select[name="${name}"] option[selected]`)?.getAttribute('value');
};
const errorsOf = (text: string) =>
  html(text)
    .querySelectorAll('.error-summary li')
    .map((li) => li.textContent.trim());

/** Starts a request and returns its reference, from the redirect to step 1. */
async function start(a: Agent, sourceLanguage: Lang, lang: Lang = 'en', department = esdc) {
  const res = await a.post(url('newRequest', {}, lang), {
    department: String(department),
    sourceLanguage,
  });
  expect(res.status).toBe(303);
  const match = /\/(MA-\d{4}-\d{4})\//.exec(res.headers.location ?? '');
  expect(res.headers.location).toBe(stepPath(match![1]!, 1, lang));
  return match![1]!;
}

interface Answers {
  1: Record<string, string>;
  2: Record<string, string>;
  3: Record<string, string>;
  4: Record<string, string>;
  5: Record<string, string>;
}

const english = (repository: string, overrides: Partial<Answers> = {}): Answers => ({
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
  5: { costCentre: '100235', fund: '1000', glAccount: '52202', paymentMethod: 'paypal' },
  ...overrides,
});

/** Saves every step with "Save and continue", checking each goes on to the next page. */
async function walk(a: Agent, ref: string, answers: Answers, lang: Lang = 'en') {
  for (const step of [1, 2, 3, 4, 5] as const) {
    const res = await a.post(stepPath(ref, step, lang), { ...answers[step], then: 'continue' });
    expect(res.status, `step ${step}: ${errorsOf(res.text).join(' | ')}`).toBe(303);
    expect(res.headers.location).toBe(
      step < 5 ? stepPath(ref, step + 1, lang) : reviewPath(ref, lang),
    );
  }
}

async function submit(a: Agent, ref: string, lang: Lang, form: Record<string, string> = {}) {
  const page = await a.client.get(reviewPath(ref, lang)).expect(200);
  const version = valueOf(page.text, 'version') ?? '';
  return a.post(reviewPath(ref, lang), { version, ...form });
}

const outbox = (template: string): Promise<OutboxRow[]> =>
  database.db('outbox').where({ template }).orderBy('id');

async function currentUser(id: number): Promise<CurrentUser> {
  const user = await database.db('users').where({ id }).first();
  return {
    id,
    email: user.email,
    kind: 'staff',
    displayName: user.display_name,
    language: user.preferred_language,
    grants: await activeGrants(database.db, id),
  };
}

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  esdc = await insertDepartment(database.db);
  tbs = await insertDepartment(database.db, { en: 'TBS', fr: 'SCT' });
  ids.client = await insertStaff('client@esdc.example.ca', [{ role: 'client', department: esdc }]);
  ids.francophone = await insertStaff(
    'cliente@esdc.example.ca',
    [{ role: 'client', department: esdc }],
    'fr',
  );
  ids.colleague = await insertStaff('colleague@esdc.example.ca', [
    { role: 'client', department: esdc },
  ]);
  ids.tbsClient = await insertStaff('client@tbs.example.ca', [{ role: 'client', department: tbs }]);
  ids.twoDepartments = await insertStaff('both@example.ca', [
    { role: 'client', department: esdc },
    { role: 'client', department: tbs },
  ]);
  ids.officer1 = await insertStaff('officer1@esdc.example.ca', [
    { role: 'program_officer', department: esdc },
  ]);
  ids.officer2 = await insertStaff(
    'officer2@esdc.example.ca',
    [{ role: 'program_officer', department: esdc }],
    'fr',
  );
  ids.tbsOfficer = await insertStaff('officer@tbs.example.ca', [
    { role: 'program_officer', department: tbs },
  ]);
});

afterAll(async () => {
  await database.drop();
});

describe('the guided request form', () => {
  it('takes a client through every step in English, then submits to the program team', async () => {
    const a = await signedIn('client@esdc.example.ca');
    const empty = await a.client.get('/en/requests').expect(200);
    expect(empty.text).toContain('You have not started any opportunity request yet.');

    const intro = await a.client.get('/en/requests/new').expect(200);
    // The cap edge, computed: $8,695.65 before tax is $10,000.00 with 15 % HST.
    expect(highestPreTaxPriceCents()).toBe(869_565);
    expect(intro.text).toContain(formatMoney(highestPreTaxPriceCents(), 'en'));
    expect(intro.text).toContain('$8,695.65');
    // One client department: nothing to choose, the department goes as a hidden field.
    expect(
      html(intro.text).querySelector('input[type="hidden"][name="department"]'),
    ).not.toBeNull();

    const ref = await start(a, 'en');
    expect(ref).toMatch(/^MA-2026-\d{4}$/);
    const draft = await row(ref);
    expect(draft).toMatchObject({
      status: 'draft',
      requester_id: ids.client,
      department_id: esdc,
      source_language: 'en',
    });
    const started = await database.db('events').where({ entity_id: draft.id }).select();
    expect(started).toEqual([
      expect.objectContaining({ action: 'request_started', actor_id: ids.client }),
    ]);

    const step1 = await a.client.get(stepPath(ref, 1)).expect(200);
    expect(step1.text).toContain('Step 1 of 5: About the work');
    expect(html(step1.text).querySelector('a[aria-current="step"]')?.textContent).toBe(
      'About the work',
    );
    expect(step1.text).toContain('Markdown');

    await walk(a, ref, english('https://github.com/canada-ca/form-validator'));
    const saved = await row(ref);
    expect(saved).toMatchObject({
      title_en: 'Add French messages to the form validator',
      title_fr: '',
      repository_url: 'https://github.com/canada-ca/form-validator',
      licence: 'MIT',
      skills_en: ['TypeScript', 'Accessibility'],
      price_cents: 650_000,
      max_total_cents: maxTotalCents(650_000),
      delivery_due_on: '2027-01-29',
      preferred_opens_on: null,
      cost_centre: '100235',
      fund: '1000',
      gl_account: '52202',
      payment_method: 'paypal',
      completed_steps: ['1', '2', '3', '4', '5'],
    });
    expect(saved.version).toBe(draft.version + 5);
    const acceptance = await database
      .db('acceptance_criteria')
      .where({ opportunity_id: saved.id })
      .orderBy('position');
    expect(acceptance.map((c) => [c.position, c.text_en, c.text_fr])).toEqual([
      [1, 'All existing tests pass', ''],
      [2, 'Every message exists in French', ''],
    ]);

    const review = await a.client.get(reviewPath(ref)).expect(200);
    expect(review.text).toContain('The request meets every rule of a micro-acquisition.');
    expect(review.text).toContain('You are writing it in English.');
    for (const amount of [650_000, 97_500, 747_500]) {
      expect(review.text).toContain(formatMoney(amount, 'en'));
    }
    expect(review.text).toContain('January 29, 2027');
    const sections = html(review.text)
      .querySelectorAll('h2')
      .map((h) => h.textContent);
    expect(sections.indexOf('About the work')).toBeLessThan(sections.indexOf('Criteria'));
    // Work acceptance criteria come before the mandatory criteria.
    expect(review.text.indexOf('Every message exists in French')).toBeLessThan(
      review.text.indexOf('A merged pull request in TypeScript'),
    );
    const links = html(review.text).querySelectorAll(`a[href="${stepPath(ref, 4)}"]`);
    expect(links.map((l) => l.textContent)).toContain('Change Price and dates');

    const submitted = await submit(a, ref, 'en');
    expect(submitted.status).toBe(303);
    expect(submitted.headers.location).toBe('/en/requests?notice=submitted');
    const after = await row(ref);
    expect(after.status).toBe('submitted');
    expect(after.splitting_related).toMatchObject({ exceedsCap: false });
    expect(after.splitting_justification).toBeNull();
    const submitEvent = await database
      .db('events')
      .where({ entity_id: after.id, action: 'submit' })
      .first();
    expect(submitEvent).toMatchObject({
      actor_id: ids.client,
      from_state: 'draft',
      to_state: 'submitted',
    });

    // One email for each program officer of ESDC, none for TBS's nor for the client.
    const emails = await outbox('request-submitted');
    expect(emails.map((e) => [e.recipient, e.language]).sort()).toEqual([
      ['officer1@esdc.example.ca', 'en'],
      ['officer2@esdc.example.ca', 'fr'],
    ]);
    expect(emails[0]!.data).toMatchObject({ reference: ref });
    const rendered = t.deps.emailRenderer.render('request-submitted', 'fr', emails[0]!.data);
    expect(rendered.subject).toContain(ref);
    expect(rendered.text).toContain('Une demande d’occasion est à examiner');
    expect(rendered.text).toContain('An opportunity request awaits screening');

    const list = await a.client.get('/en/requests?notice=submitted').expect(200);
    expect(list.text).toContain('Your request is submitted.');
    expect(list.text).toContain(ref);
    expect(list.text).toContain('Submitted');
    expect(list.text).toContain('The program team is screening it');

    // Submitted: the form is closed, with a clear message.
    const closed = await a.client.get(stepPath(ref, 1));
    expect(closed.status).toBe(409);
    expect(closed.text).toContain(`Request ${ref} is no longer a draft`);
    ids.englishRequest = after.id;
  });

  it('takes a client through every step in French, with amounts typed the French way', async () => {
    const a = await signedIn('cliente@esdc.example.ca');
    const intro = await a.client.get('/fr/demandes-d-occasion/nouvelle').expect(200);
    expect(intro.text).toContain(formatMoney(highestPreTaxPriceCents(), 'fr'));
    expect(intro.text).toContain('8\u00a0695,65\u00a0$');

    const ref = await start(a, 'fr', 'fr');
    await walk(
      a,
      ref,
      {
        1: {
          title: 'Ajouter un mode sombre au système de conception',
          summary: 'Le système de conception n’a pas de mode sombre.',
          description: '### Contexte\n\nLes utilisateurs le demandent.',
        },
        2: {
          repositoryUrl: 'https://gitlab.com/ministere/systeme-de-conception',
          licence: 'Apache-2.0',
          skills: 'CSS\nAccessibilité',
        },
        3: {
          acceptanceCriteria: 'Le contraste respecte les WCAG 2.1 AA',
          mandatoryCriteria: 'Une contribution CSS publique\nUne expérience en accessibilité',
        },
        4: {
          price: '1\u00a0000,00',
          deliveryDueOn: '2027-02-26',
          preferredOpensOn: '2026-11-30',
          preferredClosesOn: '2026-12-14',
        },
        5: { costCentre: '100235', fund: 'F2026', glAccount: '52202', paymentMethod: 'card' },
      },
      'fr',
    );
    const saved = await row(ref);
    expect(saved).toMatchObject({
      source_language: 'fr',
      title_fr: 'Ajouter un mode sombre au système de conception',
      title_en: '',
      skills_fr: ['CSS', 'Accessibilité'],
      price_cents: 100_000,
      max_total_cents: 115_000,
      preferred_opens_on: '2026-11-30',
      preferred_closes_on: '2026-12-14',
      payment_method: 'card',
    });
    const mandatory = await database
      .db('mandatory_criteria')
      .where({ opportunity_id: saved.id })
      .orderBy('position');
    expect(mandatory.map((c) => c.text_fr)).toEqual([
      'Une contribution CSS publique',
      'Une expérience en accessibilité',
    ]);

    const review = await a.client.get(reviewPath(ref, 'fr')).expect(200);
    expect(review.text).toContain('Vérifier et soumettre votre demande d’occasion');
    expect(review.text).toContain(formatMoney(115_000, 'fr'));
    expect(review.text).toContain('14 décembre 2026');
    expect(review.text).toContain('La demande d’occasion respecte toutes les règles');

    const submitted = await submit(a, ref, 'fr');
    expect(submitted.status).toBe(303);
    expect(submitted.headers.location).toBe('/fr/demandes-d-occasion?notice=submitted');
    expect((await row(ref)).status).toBe('submitted');
    const list = await a.client.get('/fr/demandes-d-occasion?notice=submitted').expect(200);
    expect(list.text).toContain('Votre demande d’occasion est soumise.');
    expect(list.text).toContain('Soumise');
  });

  it('brings back a draft saved at step 2 after signing out and in again', async () => {
    let a = await signedIn('client@esdc.example.ca');
    const ref = await start(a, 'en');
    const answers = english('https://github.com/canada-ca/saved-for-later');
    const later = await a.post(stepPath(ref, 1), { ...answers[1], then: 'later' });
    expect(later.status).toBe(303);
    expect(later.headers.location).toBe('/en/requests?notice=saved');
    const list = await a.client.get('/en/requests?notice=saved').expect(200);
    expect(list.text).toContain('Your request is saved.');
    expect(list.text).toContain('Continue with step 2: Code and skills');
    expect((await a.post(stepPath(ref, 2), { ...answers[2], then: 'later' })).status).toBe(303);

    await a.post('/en/sign-out', {}, '/en/requests');
    expect((await a.client.get(stepPath(ref, 2))).status).toBe(303);
    a = await signedIn('client@esdc.example.ca');
    const step2 = await a.client.get(stepPath(ref, 2)).expect(200);
    expect(valueOf(step2.text, 'repositoryUrl')).toBe(
      'https://github.com/canada-ca/saved-for-later',
    );
    expect(valueOf(step2.text, 'licence')).toBe('MIT');
    expect(valueOf(step2.text, 'skills')).toBe('TypeScript\nAccessibility');
    const step1 = await a.client.get(stepPath(ref, 1)).expect(200);
    expect(valueOf(step1.text, 'title')).toBe(answers[1].title);
    expect(valueOf(step1.text, 'description')).toBe(answers[1].description);
    const done = html(step1.text).querySelectorAll('.step-list li');
    expect(done.map((li) => li.classList.contains('step-done'))).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
    // Steps can be visited in any order; the review lists what is still missing, by step.
    const review = await a.client.get(reviewPath(ref)).expect(200);
    expect(review.text).toContain('At least one mandatory criterion is needed.');
    expect(html(review.text).querySelector('.problems a')?.getAttribute('href')).toBe(
      stepPath(ref, 3),
    );
    ids.savedDraft = (await row(ref)).id;
  });

  it('keeps what was typed at each step, with the messages in the page’s language', async () => {
    const a = await signedIn('client@esdc.example.ca');
    const ref = await start(a, 'en');
    const before = await row(ref);
    const cases: { step: number; form: Record<string, string>; en: string[]; fr: string[] }[] = [
      {
        step: 1,
        form: { title: '  ', summary: 'x'.repeat(501), description: 'Typed description' },
        en: ['Enter a title to continue.', 'Enter 500 characters or less to continue.'],
        fr: [
          'Saisissez un titre pour continuer.',
          'Saisissez 500 caractères ou moins pour continuer.',
        ],
      },
      {
        step: 2,
        form: {
          repositoryUrl: 'http://example.com/code',
          licence: 'MIT',
          skills: Array.from({ length: 16 }, (_, i) => `Skill ${i}`).join('\n'),
        },
        en: [
          'Enter the https address of a public GitHub or GitLab repository',
          'Enter 15 skills or fewer',
        ],
        fr: [
          'Entrez l’adresse https d’un dépôt public GitHub ou GitLab',
          'Saisissez 15 compétences ou moins',
        ],
      },
      {
        step: 3,
        form: {
          acceptanceCriteria: ' ',
          mandatoryCriteria: Array.from({ length: 11 }, (_, i) => `Criterion ${i}`).join('\n'),
        },
        en: ['Enter 1 to 10 work acceptance criteria', 'Enter 1 to 10 mandatory criteria'],
        fr: [
          'Saisissez de 1 à 10 critères d’acceptation des travaux',
          'Saisissez de 1 à 10 critères obligatoires',
        ],
      },
      {
        step: 4,
        form: {
          price: '6,500.505',
          deliveryDueOn: '2027-02-30',
          preferredOpensOn: '2026-12-10',
          preferredClosesOn: '2026-12-01',
        },
        en: [
          'Enter the price in dollars',
          'Enter the work delivery date as yyyy-mm-dd.',
          'Enter a closing date after the opening date.',
        ],
        fr: [
          'Entrez le prix en dollars',
          'Entrez la date de livraison des travaux au format aaaa-mm-jj.',
          'Entrez une date de clôture postérieure à la date d’ouverture.',
        ],
      },
      {
        step: 5,
        form: {
          costCentre: '100235',
          fund: 'F 1',
          glAccount: 'x'.repeat(21),
          paymentMethod: 'cash',
        },
        en: ['Enter the fund', 'Enter the GL account', 'Choose a payment method'],
        fr: [
          'Entrez le fonds',
          'Entrez le compte du grand livre général',
          'Choisissez un mode de paiement',
        ],
      },
    ];
    for (const lang of ['en', 'fr'] as const) {
      for (const c of cases) {
        const res = await a.post(stepPath(ref, c.step, lang), { ...c.form, then: 'continue' });
        expect(res.status, `${lang} step ${c.step}`).toBe(400);
        const errors = errorsOf(res.text);
        for (const [i, message] of c[lang].entries()) {
          expect(errors[i], `${lang} step ${c.step}`).toContain(message);
        }
        expect(errors).toHaveLength(c[lang].length);
        for (const [name, typed] of Object.entries(c.form)) {
          if (name === 'paymentMethod') continue;
          expect(valueOf(res.text, name), `${lang} step ${c.step} ${name}`).toBe(
            name === 'licence' ? 'MIT' : typed,
          );
        }
      }
    }
    const unchanged = await row(ref);
    expect(unchanged.completed_steps).toEqual([]);
    expect(unchanged.version).toBe(before.version);

    // Refusals that depend on the department and the calendar come with the same care.
    const refusals: { step: number; form: Record<string, string>; message: string }[] = [
      {
        step: 4,
        form: {
          price: '500',
          deliveryDueOn: '2026-12-01',
          preferredOpensOn: '',
          preferredClosesOn: '',
        },
        message: 'Enter a delivery date after the closing date (December 7, 2026).',
      },
      {
        step: 4,
        form: {
          price: '500',
          deliveryDueOn: '2027-03-01',
          preferredOpensOn: '2026-11-20',
          preferredClosesOn: '',
        },
        message: 'Enter an opening date of today or later, or leave it empty.',
      },
      {
        step: 5,
        form: { costCentre: '999999', fund: '1000', glAccount: '52202', paymentMethod: 'paypal' },
        message: 'Choose one of your department’s cost centres.',
      },
    ];
    for (const r of refusals) {
      const res = await a.post(stepPath(ref, r.step), { ...r.form, then: 'continue' });
      expect(res.status).toBe(400);
      expect(errorsOf(res.text)).toEqual([r.message]);
      // A cost centre posted by hand is not an option of the list; the other fields stay typed.
      const [name, typed] = Object.entries(r.form)[r.step === 5 ? 1 : 0]!;
      expect(valueOf(res.text, name)).toBe(typed);
    }
    expect(t.missingKeys).toEqual([]);
  });

  it('refuses a price over the cap by one cent and accepts the highest one', async () => {
    const highest = highestPreTaxPriceCents();
    expect(withinCap(highest)).toBe(true);
    expect(withinCap(highest + 1)).toBe(false);
    expect(maxTotalCents(highest + 1) - 1_000_000).toBe(1);

    const a = await signedIn('client@esdc.example.ca');
    const ref = await start(a, 'en');
    const form = { deliveryDueOn: '2027-01-29', preferredOpensOn: '', preferredClosesOn: '' };
    const over = await a.post(stepPath(ref, 4), { ...form, price: '8,695.66', then: 'continue' });
    expect(over.status).toBe(400);
    expect(errorsOf(over.text)).toEqual([
      `With tax at the highest provincial rate, this price comes to more than $10,000.00. Enter ${formatMoney(highest, 'en')} or less before tax.`,
    ]);
    expect(valueOf(over.text, 'price')).toBe('8,695.66');
    const summary = html(over.text).querySelector('#tax-summary')!;
    expect(summary.getAttribute('aria-live')).toBe('polite');
    expect(summary.textContent).toContain('Over the cap by');
    expect(summary.textContent).toContain('$0.01');
    expect((await row(ref)).price_cents).toBeNull();

    const edge = await a.post(stepPath(ref, 4), { ...form, price: '8695.65', then: 'continue' });
    expect(edge.status).toBe(303);
    expect(await row(ref)).toMatchObject({ price_cents: 869_565, max_total_cents: 1_000_000 });
    const back = await a.client.get(stepPath(ref, 4)).expect(200);
    expect(valueOf(back.text, 'price')).toBe('8695.65');
    expect(html(back.text).querySelector('#tax-summary')!.textContent).toContain(
      'Left under the cap',
    );
  });

  it('refuses a licence that is not OSI-approved, even posted by hand', async () => {
    const a = await signedIn('client@esdc.example.ca');
    const ref = await start(a, 'en');
    for (const licence of ['CC-BY-NC-4.0', 'Proprietary', '']) {
      const res = await a.post(stepPath(ref, 2), {
        repositoryUrl: 'https://github.com/canada-ca/licence-check',
        licence,
        skills: '',
        then: 'continue',
      });
      expect(res.status, licence).toBe(400);
      expect(errorsOf(res.text)).toEqual([
        'Choose an OSI-approved open-source licence from the list.',
      ]);
    }
    expect((await row(ref)).licence).toBe('');
  });

  it('lets only the requester change a draft, and hides it from other departments', async () => {
    const draft = await database.db('opportunities').where({ id: ids.savedDraft }).first();
    const ref: string = draft.reference;

    const colleague = await signedIn('colleague@esdc.example.ca');
    const seen = await colleague.client.get(stepPath(ref, 1));
    expect(seen.status).toBe(403);
    expect(seen.text).toContain(`Only the person who started request ${ref} can change it.`);
    expect(valueOf(seen.text, 'title')).toBeUndefined();
    const token = await colleague.csrf('/en/requests');
    const changed = await colleague.client
      .post(stepPath(ref, 1))
      .type('form')
      .send({ _csrf: token, title: 'Taken over', summary: 's', description: 'd' });
    expect(changed.status).toBe(403);
    const submitted = await colleague.client
      .post(reviewPath(ref))
      .type('form')
      .send({ _csrf: token, version: String(draft.version) });
    expect(submitted.status).toBe(403);
    expect(await row(ref)).toMatchObject({
      title_en: draft.title_en,
      status: 'draft',
      version: draft.version,
    });

    const outsider = await signedIn('client@tbs.example.ca');
    expect((await outsider.client.get(stepPath(ref, 1))).status).toBe(404);
    expect((await outsider.client.get(reviewPath(ref))).status).toBe(404);
    const outsiderToken = await outsider.csrf('/en/requests');
    const posted = await outsider.client
      .post(stepPath(ref, 1))
      .type('form')
      .send({ _csrf: outsiderToken, title: 'Taken over', summary: 's', description: 'd' });
    expect(posted.status).toBe(404);
    expect((await row(ref)).title_en).toBe(draft.title_en);

    // A step that does not exist is not a page.
    const owner = await signedIn('client@esdc.example.ca');
    for (const step of ['0', '6', 'review', '1.0']) {
      expect((await owner.client.get(`/en/requests/${ref}/step/${step}`)).status).toBe(404);
    }
  });

  it('offers the departments of a client of several, and only those', async () => {
    const a = await signedIn('both@example.ca');
    const page = await a.client.get('/en/requests/new').expect(200);
    const choices = html(page.text)
      .querySelectorAll('input[name="department"]')
      .map((i) => i.getAttribute('value'));
    expect(choices).toEqual([String(esdc), String(tbs)]);
    const ref = await start(a, 'en', 'en', tbs);
    expect((await row(ref)).department_id).toBe(tbs);
    const [other] = await database
      .db('departments')
      .insert({ acronym_en: 'PSPC', acronym_fr: 'SPAC', name_en: 'PSPC', name_fr: 'SPAC' })
      .returning('id');
    const refused = await a.post('/en/requests/new', {
      department: String(other.id),
      sourceLanguage: 'en',
    });
    expect(refused.status).toBe(400);
    expect(errorsOf(refused.text)).toEqual(['Choose the department this request is for.']);
  });

  it('updates the tax summary from its own route, as a fragment, in both languages', async () => {
    const a = await signedIn('client@esdc.example.ca');
    const en = await a.client.get('/en/requests/tax-summary?price=6500').expect(200);
    expect(en.text).not.toContain('<html');
    expect(en.text).not.toContain('<header');
    for (const cents of [650_000, 97_500, 747_500, 252_500]) {
      expect(en.text).toContain(formatMoney(cents, 'en'));
    }
    expect(en.text).toContain('Tax at the highest provincial rate (15%)');
    const fr = await a.client
      .get(`/fr/demandes-d-occasion/sommaire-des-taxes?price=${encodeURIComponent('6 500,00')}`)
      .expect(200);
    expect(fr.text).toContain(formatMoney(747_500, 'fr'));
    expect(fr.text).toContain('(15\u00a0%)');
    const over = await a.client.get('/en/requests/tax-summary?price=9000').expect(200);
    expect(over.text).toContain('Over the cap by');
    expect(over.text).toContain(formatMoney(maxTotalCents(900_000) - 1_000_000, 'en'));
    const unreadable = await a.client.get('/en/requests/tax-summary?price=abc').expect(200);
    expect(unreadable.text).toContain('Enter an amount in dollars');
    const huge = await a.client.get(`/en/requests/tax-summary?price=${'9'.repeat(19)}`).expect(200);
    expect(huge.text).toContain('Enter an amount in dollars');
    const repeated = await a.client.get('/en/requests/tax-summary?price=1&price=2').expect(200);
    expect(repeated.text).toContain('Enter the price');
    expect((await agent(t.app).client.get('/en/requests/tax-summary?price=1')).status).toBe(303);

    // The script is on the price step only, from our own origin (no inline script).
    const ref = await start(a, 'en');
    const step4 = await a.client.get(stepPath(ref, 4)).expect(200);
    const scripts = html(step4.text).querySelectorAll('script');
    expect(
      scripts.map((s) => [s.getAttribute('src'), s.hasAttribute('defer'), s.textContent]),
    ).toEqual([['/assets/js/tax-summary.js', true, '']]);
    expect(html(step4.text).querySelector('#tax-summary')?.getAttribute('data-url')).toBe(
      '/en/requests/tax-summary',
    );
    const step3 = await a.client.get(stepPath(ref, 3)).expect(200);
    expect(step3.text).not.toContain('tax-summary.js');
    const script = await a.client.get('/assets/js/tax-summary.js').expect(200);
    expect(script.headers['content-type']).toContain('javascript');
  });

  it('asks for a justification when related purchases pass the cap, and keeps the check', async () => {
    const related = ['MA-2025-0901', 'MA-2025-0902'];
    for (const reference of related) {
      const id = await insertOpportunity(database.db, {
        reference,
        departmentId: esdc,
        priceCents: 400_000,
        status: 'published',
      });
      await database
        .db('opportunities')
        .where({ id })
        .update({ created_at: '2026-06-01T12:00:00Z', cost_centre: '100234' });
    }
    const a = await signedIn('client@esdc.example.ca');
    const ref = await start(a, 'en');
    const answers = english('https://github.com/canada-ca/splitting-check');
    await walk(a, ref, {
      ...answers,
      4: { ...answers[4], price: '1000' },
      5: { ...answers[5], costCentre: '100234' },
    });
    const review = await a.client.get(reviewPath(ref)).expect(200);
    expect(review.text).toContain('Related purchases (contract splitting)');
    const rows = html(review.text).querySelectorAll('#submit-request tbody tr');
    expect(rows.map((r) => r.querySelector('th')?.textContent)).toEqual(related);
    expect(review.text).toContain(formatMoney(460_000, 'en'));
    expect(review.text).toContain(`Total with this request: ${formatMoney(1_035_000, 'en')}`);

    const refused = await submit(a, ref, 'en');
    expect(refused.status).toBe(400);
    expect(errorsOf(refused.text).join(' ')).toContain('Explain in at least 20 characters');
    const short = await submit(a, ref, 'en', { justification: 'Different needs.' });
    expect(short.status).toBe(400);
    expect(valueOf(short.text, 'justification')).toBe('Different needs.');
    expect(await row(ref)).toMatchObject({ status: 'draft', splitting_related: null });

    const justification = 'The two earlier opportunities fix a different product for another team.';
    const accepted = await submit(a, ref, 'en', { justification });
    expect(accepted.status).toBe(303);
    const after = await row(ref);
    expect(after.status).toBe('submitted');
    expect(after.splitting_justification).toBe(justification);
    expect(after.splitting_related).toMatchObject({
      exceedsCap: true,
      totalCents: 1_035_000,
      related: related.map((reference) =>
        expect.objectContaining({ reference, sameCostCentre: true }),
      ),
    });
    const emails = (await outbox('request-submitted')).filter((e) => e.data.reference === ref);
    expect(emails).toHaveLength(2);
    expect(emails[0]!.data.detail).toBe(justification);
  });

  it('shows the history of returns, and takes the corrected request again', async () => {
    const request = await database.db('opportunities').where({ id: ids.englishRequest }).first();
    const ref: string = request.reference;
    const officer = await currentUser(ids.officer1!);
    const reason = 'Please name the form validator’s repository owner in the description.';
    await database.db.transaction((trx) =>
      transition(trx, opportunityMachine, {
        now: t.clock.now(),
        id: request.id,
        action: 'return_to_client',
        actor: officer,
        expectedVersion: request.version,
        reason,
      }),
    );
    const a = await signedIn('client@esdc.example.ca');
    const list = await a.client.get('/en/requests').expect(200);
    expect(list.text).toContain('Make the changes asked and submit again');
    const review = await a.client.get(reviewPath(ref)).expect(200);
    expect(review.text).toContain('Returned for changes');
    expect(review.text).toContain('Returned on November 23, 2026');
    expect(html(review.text).querySelector('.comments')?.textContent).toBe(reason);

    const answers = english('https://github.com/canada-ca/form-validator');
    const fixed = await a.post(stepPath(ref, 1), {
      ...answers[1],
      description: `${answers[1].description}\n\nOwner: the forms team.`,
      then: 'continue',
    });
    expect(fixed.status).toBe(303);
    expect((await submit(a, ref, 'fr')).status).toBe(303);
    expect((await row(ref)).status).toBe('submitted');
    const frenchPage = await a.client.get('/fr/demandes-d-occasion/nouvelle').expect(200);
    expect(frenchPage.text).toContain('Commencer une demande d’occasion');
    expect(t.missingKeys).toEqual([]);
  });
});

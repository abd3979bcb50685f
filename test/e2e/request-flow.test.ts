import { DateTime } from 'luxon';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoOnce } from '../../src/demo/loader.ts';
import { EASTERN } from '../../src/platform/dates.ts';
import type { Lang } from '../../src/platform/i18n.ts';
import { formatMoney, maxTotalCents } from '../../src/platform/money.ts';
import { url, type PageName, type UrlParams } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { expectNoAxeViolations, launchBrowser, screenshot, serve } from '../helpers/browser.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

/**
 * The whole stretch from a client's need to a published opportunity, in Chromium, as the people
 * who do it: once in English, once in French on French addresses, with axe on every page shown.
 */

const PASSWORD = 'request flow passphrase';
const people = {
  client: 'client@esdc.example.ca',
  program: 'program@esdc.example.ca',
  section32: 's32@esdc.example.ca',
} as const;
type Person = keyof typeof people | 'public';

interface Draft {
  title: string;
  summary: string;
  description: string;
  repositoryUrl: string;
  licence: string;
  skills: string[];
  acceptance: string[];
  mandatory: string[];
  /** Typed first: over the cap once the highest tax is added. */
  overCapPrice: string;
  overCapCents: number;
  price: string;
  priceCents: number;
  fund: string;
  glAccount: string;
  reservationNumber: string;
  /** The same texts in the other language, as the translator returns them. */
  translation: Pick<
    Draft,
    'title' | 'summary' | 'description' | 'skills' | 'mandatory' | 'acceptance'
  >;
}

const english = {
  title: 'Keyboard-friendly date picker for the benefits estimator',
  summary: 'Replace the date picker of the benefits estimator with one that works by keyboard.',
  description:
    '## Background\nPeople who use a keyboard cannot choose a date in the estimator.\n\n## Work\nReplace the picker and add tests.',
  skills: ['TypeScript', 'Accessibility'],
  mandatory: ['Has delivered one accessible web component', 'Can work in a public repository'],
  acceptance: ['Every date can be chosen by keyboard', 'Automated accessibility tests pass'],
};
const french = {
  title: 'Sélecteur de date utilisable au clavier pour l’estimateur de prestations',
  summary: 'Remplacer le sélecteur de date de l’estimateur par un sélecteur utilisable au clavier.',
  description:
    '## Contexte\nLes personnes qui utilisent un clavier ne peuvent pas choisir une date.\n\n## Travail\nRemplacer le sélecteur et ajouter des tests.',
  skills: ['TypeScript', 'Accessibilité'],
  mandatory: ['A livré un composant Web accessible', 'Peut travailler dans un dépôt public'],
  acceptance: [
    'Chaque date se choisit au clavier',
    'Les tests d’accessibilité automatisés réussissent',
  ],
};

const drafts: Record<Lang, Draft> = {
  en: {
    ...english,
    repositoryUrl: 'https://github.com/esdc-example/benefits-estimator',
    licence: 'MIT',
    overCapPrice: '9,000',
    overCapCents: 900_000,
    price: '2,480.50',
    priceCents: 248_050,
    fund: 'C100',
    glAccount: '52411',
    reservationNumber: 'FR-2026-004512',
    translation: french,
  },
  fr: {
    title: 'Formulaire de rétroaction accessible pour le portail des prestations',
    summary: 'Ajouter au portail un formulaire de rétroaction conforme aux normes d’accessibilité.',
    description:
      '## Contexte\nLe portail n’offre aucun moyen de signaler un problème.\n\n## Travail\nConcevoir le formulaire et ses tests.',
    repositoryUrl: 'https://gitlab.com/edsc-exemple/portail-prestations',
    licence: 'Apache-2.0',
    skills: ['Node.js', 'Accessibilité Web', 'Tests automatisés'],
    mandatory: ['A conçu au moins un formulaire accessible'],
    acceptance: ['Le formulaire respecte les WCAG 2.1 AA', 'Les messages arrivent dans la file'],
    // A person in Quebec types spaces between thousands and a decimal comma.
    overCapPrice: '8 900',
    overCapCents: 890_000,
    price: '1 960,25',
    priceCents: 196_025,
    fund: 'C200',
    glAccount: '52412',
    reservationNumber: 'FR-2026-004513',
    translation: {
      title: 'Accessible feedback form for the benefits portal',
      summary: 'Add a feedback form that meets accessibility standards to the portal.',
      description:
        '## Background\nThe portal offers no way to report a problem.\n\n## Work\nDesign the form and its tests.',
      skills: ['Node.js', 'Web accessibility', 'Automated testing'],
      mandatory: ['Has designed at least one accessible form'],
      acceptance: ['The form meets WCAG 2.1 AA', 'Messages reach the queue'],
    },
  },
};

let database: TestDatabase;
let t: TestApp;
let browser: Browser;
let server: Awaited<ReturnType<typeof serve>>;
const contexts = new Map<Person, { context: BrowserContext; page: Page }>();

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db, { now: new Date().toISOString() });
  await seedDemoOnce(t.deps, PASSWORD);
  server = await serve(t.app);
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const { context } of contexts.values()) await context.close();
  await browser?.close();
  await server?.close();
  await database?.drop();
});

/** Each person's own browser context, signed in once (on the sign-in page of `lang`). */
async function as(person: Person, lang: Lang): Promise<Page> {
  const existing = contexts.get(person);
  if (existing) return existing.page;
  const context = await browser.newContext();
  // A missing link or button fails the step quickly instead of at the test's time limit.
  context.setDefaultTimeout(5_000);
  const page = await context.newPage();
  contexts.set(person, { context, page });
  if (person !== 'public') {
    await visit(page, 'signIn', {}, lang);
    await page.fill('#email', people[person]);
    await page.fill('#password', PASSWORD);
    await Promise.all([
      page.waitForURL((u) => u.pathname !== url('signIn', {}, lang)),
      page.click('main form button[type=submit]'),
    ]);
  }
  return page;
}

/** Opens a page by its name, expects it shown (200) and accessible. */
async function visit(page: Page, name: PageName, params: UrlParams, lang: Lang) {
  const response = await page.goto(server.origin + url(name, params, lang));
  expect(response?.status(), `${name} (${lang})`).toBe(200);
  await expectNoAxeViolations(page);
}

/** Clicks what submits a form or follows a link, waits for the next page, checks it. */
async function clickThrough(page: Page, selector: string, expectedPath: string | RegExp) {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
  const path = new URL(page.url()).pathname;
  if (typeof expectedPath === 'string') expect(path).toBe(expectedPath);
  else expect(path).toMatch(expectedPath);
}

/** Types like a person, key by key, after clearing what the field held. */
async function type(page: Page, selector: string, text: string) {
  const field = page.locator(selector);
  await field.fill('');
  await field.pressSequentially(text);
}

/** `npm run screenshots` refreshes these two README pictures. */
const readmeShots = new Set(['request-price-fr', 'translation-editor-en']);

const easternDay = (days: number) =>
  DateTime.fromJSDate(t.clock.now(), { zone: EASTERN }).plus({ days }).toISODate()!;

describe.each(['en', 'fr'] as const)('a request from the client to publication (%s)', (lang) => {
  const draft = drafts[lang];
  const other: Lang = lang === 'en' ? 'fr' : 'en';
  let reference = '';
  const ref = () => ({ ref: reference });

  it('the client starts a request and fills in steps 1 to 3', async () => {
    // The client prefers French: she signs in on the French page, then works in either language.
    const page = await as('client', 'fr');
    await visit(page, 'requests', {}, lang);
    await clickThrough(
      page,
      `main a[href="${url('newRequest', {}, lang)}"]`,
      url('newRequest', {}, lang),
    );
    await expectNoAxeViolations(page);
    // The language the client writes in defaults to the page's.
    expect(await page.isChecked(`#sourceLanguage-${lang}`)).toBe(true);
    await clickThrough(page, 'main form button[type=submit]', /\/1$/);
    reference = /(MA-\d{4}-\d{4})/.exec(page.url())![1]!;
    expect(new URL(page.url()).pathname).toBe(
      url('requestStep', { ref: reference, step: 1 }, lang),
    );
    await expectNoAxeViolations(page);

    await type(page, '#title', draft.title);
    await type(page, '#summary', draft.summary);
    await type(page, '#description', draft.description);
    const continueButton = 'button[name=then][value=continue]';
    await clickThrough(page, continueButton, url('requestStep', { ref: reference, step: 2 }, lang));
    await expectNoAxeViolations(page);

    await type(page, '#repositoryUrl', draft.repositoryUrl);
    await page.selectOption('#licence', draft.licence);
    await type(page, '#skills', draft.skills.join('\n'));
    await clickThrough(page, continueButton, url('requestStep', { ref: reference, step: 3 }, lang));
    await expectNoAxeViolations(page);

    await type(page, '#acceptanceCriteria', draft.acceptance.join('\n'));
    await type(page, '#mandatoryCriteria', draft.mandatory.join('\n'));
    await clickThrough(page, continueButton, url('requestStep', { ref: reference, step: 4 }, lang));
    await expectNoAxeViolations(page);
  });

  it('the price step: a live tax summary, a price over the cap refused accessibly', async () => {
    const page = await as('client', 'fr');
    const summary = page.locator('#tax-summary');
    const totalOf = (cents: number) => formatMoney(maxTotalCents(cents), lang);

    await type(page, '#price', draft.overCapPrice);
    // The script asks the server for the summary as the client types: no page load.
    await expect.poll(() => summary.textContent()).toContain(totalOf(draft.overCapCents));
    expect(await summary.textContent()).toContain(
      formatMoney(maxTotalCents(draft.overCapCents) - 1_000_000, lang),
    );
    await page.fill('#deliveryDueOn', easternDay(75));
    await page.fill('#preferredOpensOn', easternDay(2));
    await page.fill('#preferredClosesOn', easternDay(30));
    await clickThrough(
      page,
      'button[name=then][value=continue]',
      url('requestStep', { ...ref(), step: 4 }, lang),
    );

    // Refused: the summary names the field, what was typed is kept, the summary is the server's.
    const link = page.locator('.error-summary a[href="#price"]');
    expect(await link.count()).toBe(1);
    expect(await page.inputValue('#price')).toBe(draft.overCapPrice);
    expect(await page.inputValue('#deliveryDueOn')).toBe(easternDay(75));
    expect(await summary.textContent()).toContain(totalOf(draft.overCapCents));
    expect(await page.getAttribute('#price', 'aria-invalid')).toBe('true');
    await expectNoAxeViolations(page);
    await link.click();
    expect(await page.evaluate('document.activeElement?.id')).toBe('price');

    // The script still works on the page the server sent back.
    await type(page, '#price', draft.price);
    await expect.poll(() => summary.textContent()).toContain(totalOf(draft.priceCents));
    expect(await summary.textContent()).not.toContain(totalOf(draft.overCapCents));
    await expectNoAxeViolations(page);
    await screenshot(page, `request-price-${lang}`, readmeShots);
    await clickThrough(
      page,
      'button[name=then][value=continue]',
      url('requestStep', { ...ref(), step: 5 }, lang),
    );
    await expectNoAxeViolations(page);

    // Back on the saved step, the server's summary shows the saved price and still follows typing.
    await page.goto(server.origin + url('requestStep', { ...ref(), step: 4 }, lang));
    expect(await summary.textContent()).toContain(totalOf(draft.priceCents));
    await type(page, '#price', '100');
    await expect.poll(() => summary.textContent()).toContain(totalOf(10_000));
    await page.goto(server.origin + url('requestStep', { ...ref(), step: 5 }, lang));
  });

  it('the client codes the request financially, reviews it and submits it', async () => {
    const page = await as('client', 'fr');
    // The demo requests sit on the other cost centres: this one has no related purchase.
    await page.selectOption('#costCentre', '109215');
    await type(page, '#fund', draft.fund);
    await type(page, '#glAccount', draft.glAccount);
    await page.check('#paymentMethod-card_direct');
    await clickThrough(
      page,
      'button[name=then][value=continue]',
      url('requestReview', ref(), lang),
    );
    await expectNoAxeViolations(page);

    const main = page.locator('main');
    expect(await page.locator('#problems .problems li').count()).toBe(0);
    const review = (await main.textContent())!;
    expect(review).toContain(draft.title);
    expect(review).toContain(formatMoney(maxTotalCents(draft.priceCents), lang));
    for (const c of [...draft.acceptance, ...draft.mandatory]) expect(review).toContain(c);
    expect(review).toContain(draft.fund);

    await clickThrough(page, '#submit-request button[type=submit]', url('requests', {}, lang));
    expect(await page.locator('.notice[role=status]').count()).toBe(1);
    expect(await page.locator(`main a[href="${url('request', ref(), lang)}"]`).count()).toBe(1);
    await expectNoAxeViolations(page);
  });

  it('the program officer finds it in the queue and accepts it in screening', async () => {
    const page = await as('program', 'en');
    await visit(page, 'workQueues', {}, lang);
    await clickThrough(
      page,
      `main a[href="${url('request', ref(), lang)}"]`,
      url('request', ref(), lang),
    );
    await expectNoAxeViolations(page);
    expect(await page.locator('h1').textContent()).toContain(draft.title);

    await page.check('#decision-accept');
    await clickThrough(
      page,
      'form:has(#decision-accept) button[type=submit]',
      url('request', ref(), lang),
    );
    expect(new URL(page.url()).search).toBe('?done=accepted');
    expect(await page.locator('.notice[role=status]').count()).toBe(1);
    await expectNoAxeViolations(page);
  });

  it('the section 32 manager approves the funds', async () => {
    const page = await as('section32', 'fr');
    await visit(page, 'workQueues', {}, lang);
    await clickThrough(
      page,
      `main a[href="${url('request', ref(), lang)}"]`,
      url('request', ref(), lang),
    );
    await expectNoAxeViolations(page);
    await clickThrough(
      page,
      `main a[href="${url('approveFunds', ref(), lang)}"]`,
      url('approveFunds', ref(), lang),
    );
    await expectNoAxeViolations(page);
    expect(await page.locator('main').textContent()).toContain(
      formatMoney(maxTotalCents(draft.priceCents), lang),
    );

    await type(page, '#reservationNumber', draft.reservationNumber);
    await page.check('#attest');
    await clickThrough(page, 'form:has(#attest) button[type=submit]', url('request', ref(), lang));
    expect(new URL(page.url()).search).toBe('?done=fundsApproved');
    expect(await page.locator('main').textContent()).toContain(draft.reservationNumber);
    await expectNoAxeViolations(page);
  });

  it('the program officer enters the translation, marks it requested, then complete', async () => {
    const page = await as('program', 'en');
    await visit(page, 'request', ref(), lang);
    await clickThrough(
      page,
      `main a[href="${url('translation', ref(), lang)}"]`,
      url('translation', ref(), lang),
    );
    await expectNoAxeViolations(page);

    // Complete too early: refused, each missing text listed and linked.
    await clickThrough(
      page,
      'button[name=intent][value=complete]',
      url('translation', ref(), lang),
    );
    const missing = page.locator('.error-summary a');
    expect(await missing.count()).toBeGreaterThan(0);
    expect(await missing.first().getAttribute('href')).toBe(`#title_${other}`);
    // Nothing was typed: nothing is reported saved (the client's line breaks are stored as sent).
    expect(await page.locator('.notice[role=status]').count()).toBe(0);
    await expectNoAxeViolations(page);

    // Every text and criterion in the other language, in the editor's order.
    const tr = draft.translation;
    const texts = [
      tr.title,
      tr.summary,
      tr.description,
      tr.skills.join('\n'),
      ...tr.mandatory,
      ...tr.acceptance,
    ];
    const areas = await page.locator(`#translation-form textarea[name$="_${other}"]`).all();
    const names = await Promise.all(areas.map((area) => area.getAttribute('name')));
    expect(names).toHaveLength(texts.length);
    for (const [i, name] of names.entries()) await type(page, `#${name}`, texts[i]!);

    await clickThrough(page, 'button[name=intent][value=request]', url('translation', ref(), lang));
    expect(new URL(page.url()).search).toBe('?done=request');
    expect(await page.inputValue(`#title_${other}`)).toBe(tr.title);
    expect(await page.locator('button[name=intent][value=request]').count()).toBe(0);
    await expectNoAxeViolations(page);
    await screenshot(page, `translation-editor-${lang}`, readmeShots);

    await clickThrough(
      page,
      'button[name=intent][value=complete]',
      url('translation', ref(), lang),
    );
    expect(new URL(page.url()).search).toBe('?done=complete');
    await expectNoAxeViolations(page);
  });

  it('the client opens the preview from the request page and approves it', async () => {
    const page = await as('client', 'fr');
    await visit(page, 'request', ref(), lang);
    const previewPath = new RegExp(
      `^${url('preview', { token: 'TOKEN' }, lang).replace('TOKEN', '[A-Za-z0-9_-]{43}')}$`,
    );
    const link = page.locator(`main a[href^="${url('preview', { token: '' }, lang)}"]`).first();
    await Promise.all([page.waitForNavigation(), link.click()]);
    expect(new URL(page.url()).pathname).toMatch(previewPath);
    // The same link the client was emailed when the translation was marked complete.
    const emails = await database
      .db('outbox')
      .where({ template: 'preview-ready', recipient: people.client })
      .pluck('data');
    const emailed = emails.find((d: { reference: string }) => d.reference === reference);
    expect(emailed.link[lang]).toBe(new URL(page.url()).pathname);
    await expectNoAxeViolations(page);
    expect(await page.locator('h1').textContent()).toContain(draft.title);

    await clickThrough(page, '#approve button[type=submit]', previewPath);
    expect(new URL(page.url()).search).toBe('?done=approved');
    expect(await page.locator('#approve').count()).toBe(0);
    await expectNoAxeViolations(page);
  });

  it('the program officer publishes with the default dates', async () => {
    const page = await as('program', 'en');
    await visit(page, 'request', ref(), lang);
    await clickThrough(
      page,
      `main a[href="${url('publish', ref(), lang)}"]`,
      url('publish', ref(), lang),
    );
    await expectNoAxeViolations(page);
    expect(await page.inputValue('#openingDate')).toBe(easternDay(0));
    expect(await page.inputValue('#closingTime')).toBe('14:00');
    await clickThrough(page, '#publish-form button[type=submit]', url('opportunity', ref(), lang));
    expect(await page.locator('h1').textContent()).toBe(draft.title);
    await expectNoAxeViolations(page);
  });

  it('anyone finds the opportunity on the public list, in both languages', async () => {
    const page = await as('public', lang);
    await visit(page, 'opportunities', {}, lang);
    const link = page.locator(`main a[href="${url('opportunity', ref(), lang)}"]`);
    expect(await link.count()).toBeGreaterThan(0);
    expect(await page.locator('main').textContent()).toContain(draft.title);
    await Promise.all([page.waitForNavigation(), link.first().click()]);
    expect(await page.locator('h1').textContent()).toBe(draft.title);
    await expectNoAxeViolations(page);
    // The translation is what the other language's page shows.
    await page.goto(server.origin + url('opportunity', ref(), other));
    expect(await page.locator('h1').textContent()).toBe(draft.translation.title);

    const row = await database.db('opportunities').where({ reference }).first('id', 'status');
    expect(row.status).toBe('published');
    const actions = await database
      .db('events')
      .where({ entity_type: 'opportunity', entity_id: row.id })
      .orderBy('id')
      .pluck('action');
    for (const action of [
      'submit',
      'screen',
      'approve_funds',
      'translation_requested',
      'complete_translation',
      'approve_preview',
      'publish',
    ]) {
      expect(
        actions.filter((a: string) => a === action),
        action,
      ).toHaveLength(1);
    }
    expect(t.missingKeys).toEqual([]);
  });
});

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lang } from '../../src/platform/i18n.ts';
import { url, type PageName, type UrlParams } from '../../src/platform/routes.ts';
import { fingerprintApplication } from '../../src/draw/service.ts';
import { APPLICANT_PASSWORD, aSubmittedApplication, aSupplier } from '../helpers/applicants.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { expectNoAxeViolations, launchBrowser, serve } from '../helpers/browser.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment } from '../helpers/fixtures.ts';
import { insertPerson } from '../helpers/people.ts';
import { close } from '../helpers/scenario-steps.ts';
import { aPublishedOpportunity, type Scenario } from '../helpers/scenarios.ts';

/**
 * Issue 11 in Chromium, once in English and once in French on French addresses: a supplier
 * applies with the keyboard only (Tab, arrows, Space, Enter; never a click), the closing job
 * closes the opportunity, the requester evaluates and locks, the draw runs, and the winner
 * accepts the terms, also by keyboard. Axe finds no violation on any page shown.
 * Everything before the supplier arrives is made by the scenario builders.
 */

const PASSWORD = 'apply evaluate draw passphrase';
const DAY_MS = 24 * 60 * 60 * 1000;
const REASONS = {
  pass: 'The linked repository shows this criterion is met in full.',
  fail: 'Nothing in the application shows work of this kind was delivered.',
};

let database: TestDatabase;
let t: TestApp;
let browser: Browser;
let server: Awaited<ReturnType<typeof serve>>;
let department = 0;
let client = 0;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  department = await insertDepartment(database.db);
  client = await insertPerson(database.db, {
    email: 'client@esdc.example.gc.ca',
    password: PASSWORD,
    grants: [{ role: 'client', department }],
    confirmedAt: t.clock.now(),
  });
  server = await serve(t.app);
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.close();
  await database?.drop();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext();
  context.setDefaultTimeout(5_000);
  contexts.push(context);
  return context.newPage();
}

/** Opens a page by its address (as a bookmark or an email link would), checks it is accessible. */
async function visit(page: Page, name: PageName, params: UrlParams, lang: Lang) {
  const response = await page.goto(server.origin + url(name, params, lang));
  expect(response?.status(), `${name} (${lang})`).toBe(200);
  await expectNoAxeViolations(page);
}

/** Whether the focused element matches `selector` (a string, run in the page). */
const focusedMatches = async (page: Page, selector: string) =>
  (await page.evaluate(
    `document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`,
  )) as boolean;

/** Presses Tab until the element matching `selector` has the focus, as a keyboard user does. */
async function tabTo(page: Page, selector: string, most = 120) {
  for (let i = 0; i < most; i += 1) {
    if (await focusedMatches(page, selector)) return;
    await page.keyboard.press('Tab');
  }
  const main = (await page.textContent('main'))?.replace(/\s+/g, ' ').slice(0, 400);
  throw new Error(`Tab never reached ${selector} on ${page.url()}: ${main}`);
}

/** Tabs into a radio group, then arrows to the option (an arrow key also selects it). */
async function choose(page: Page, name: string, value: string) {
  await tabTo(page, `input[type=radio][name="${name}"]`);
  for (let i = 0; i < 8; i += 1) {
    if (await focusedMatches(page, `input[name="${name}"][value="${value}"]:checked`)) return;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`no option ${value} in ${name}`);
}

/** Enter on the focused button or field: the form is sent and the next page shown. */
async function pressEnterAndWait(page: Page) {
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  await expectNoAxeViolations(page);
}

/** On the sign-in page: Tab to each field, type, Enter. */
async function signInByKeyboard(page: Page, email: string) {
  await tabTo(page, '#email');
  await page.keyboard.type(email);
  await tabTo(page, '#password');
  await page.keyboard.type(APPLICANT_PASSWORD);
  await pressEnterAndWait(page);
}

describe.each(['en', 'fr'] as const)('apply, evaluate, draw, accept (%s)', (lang) => {
  let s: Scenario;
  let supplierEmail = '';
  let supplier: Page;
  let criteria: { id: number }[] = [];
  let mine = 0;

  it('a supplier signs in, applies and submits with the keyboard only', async () => {
    const now = t.clock.now();
    s = await aPublishedOpportunity(t, {
      department,
      requester: client,
      opensAt: new Date(now.getTime() - 7 * DAY_MS),
      closesAt: new Date(now.getTime() + DAY_MS),
    });
    criteria = await database
      .db('mandatory_criteria')
      .where({ opportunity_id: s.id })
      .orderBy('position')
      .select('id');
    // Another supplier applied earlier (and will not meet the criteria): two applicants, one drawn.
    const other = await aSupplier(t, `other.${lang}@supplier.example.com`, lang);
    const otherApplication = await aSubmittedApplication(t, s, other);
    await database.db.transaction((trx) =>
      fingerprintApplication(trx, otherApplication, t.clock.now()),
    );
    supplierEmail = `keyboard.${lang}@supplier.example.com`;
    const supplierId = await aSupplier(t, supplierEmail, lang);
    await database.db('supplier_profiles').insert({
      user_id: supplierId,
      legal_name: `Keyboard Supplier ${lang}`,
      accepts_card: true,
    });

    supplier = await newPage();
    await visit(supplier, 'signIn', {}, lang);
    await signInByKeyboard(supplier, supplierEmail);

    await visit(supplier, 'opportunity', { ref: s.reference }, lang);
    await tabTo(supplier, `form[action="${url('apply', { ref: s.reference }, lang)}"] button`);
    await pressEnterAndWait(supplier);
    expect(new URL(supplier.url()).pathname).toMatch(
      lang === 'en' ? /^\/en\/account\/applications\/\d+$/ : /^\/fr\/compte\/demandes\/\d+$/,
    );

    for (const [i, c] of criteria.entries()) {
      await tabTo(supplier, `#answer_${c.id}`);
      await supplier.keyboard.type(`Criterion ${i + 1}: I built and maintain a similar component.`);
      await tabTo(supplier, `#links_${c.id}`);
      await supplier.keyboard.type('https://github.com/keyboard-supplier/component');
    }
    await tabTo(supplier, '#majority');
    await supplier.keyboard.press('Space');
    await choose(supplier, 'workStatus', 'citizen');
    await choose(supplier, 'publicServant', 'no');
    await choose(supplier, 'formerPublicServant', 'no');
    await choose(supplier, 'conflict', 'no');
    await tabTo(supplier, 'button[value=submit]');
    await pressEnterAndWait(supplier);
    expect(new URL(supplier.url()).pathname).toMatch(/\/confirmation$/);

    const application = await database
      .db('applications')
      .where({ opportunity_id: s.id, supplier_id: supplierId })
      .first('id', 'status', 'language', 'attestations');
    mine = Number(application.id);
    expect(application).toMatchObject({ status: 'submitted', language: lang });
    expect(application.attestations).toMatchObject({ majority: true });
    await visit(supplier, 'myApplications', {}, lang);
  });

  it('after the closing job, the requester evaluates and locks, and the draw runs', async () => {
    t.clock.set(new Date(s.closesAt!.getTime() + 1000));
    await close(t, s);

    const page = await newPage();
    await page.goto(server.origin + url('signIn', {}, lang));
    await page.fill('#email', 'client@esdc.example.gc.ca');
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);

    await visit(page, 'evaluation', { ref: s.reference }, lang);
    await page.check('#noConflict');
    await Promise.all([
      page.waitForNavigation(),
      page.click(
        `form[action="${url('evaluationDeclaration', { ref: s.reference }, lang)}"] button`,
      ),
    ]);
    await expectNoAxeViolations(page);

    // The letters are drawn at random: the test reads which one is the keyboard supplier's.
    const letters = await database
      .db('anonymous_applicants')
      .where({ opportunity_id: s.id })
      .orderBy('position')
      .select('application_id', 'position');
    expect(letters).toHaveLength(2);
    for (const { application_id: id, position } of letters) {
      const decision = Number(id) === mine ? 'pass' : 'fail';
      const applicant = String.fromCharCode(64 + position);
      await visit(page, 'evaluationApplicant', { ref: s.reference, applicant }, lang);
      for (const c of criteria) {
        await page.check(`#decision-${c.id}-${decision}`);
        await page.fill(`#reason-${c.id}`, REASONS[decision]);
      }
      await Promise.all([page.waitForNavigation(), page.click('#decisions button[type=submit]')]);
      await expectNoAxeViolations(page);
    }

    await visit(page, 'evaluation', { ref: s.reference }, lang);
    await Promise.all([
      page.waitForNavigation(),
      page.click(`form[action="${url('evaluationLock', { ref: s.reference }, lang)}"] button`),
    ]);
    await expectNoAxeViolations(page);
    const row = await database.db('opportunities').where({ id: s.id }).first('status');
    expect(row.status).toBe('drawn');

    // The public record of the draw: its script recomputes the order with Web Crypto and says OK.
    const visitor = await newPage();
    await visit(visitor, 'drawResults', { ref: s.reference }, lang);
    await visitor.waitForFunction(
      `(() => { const r = document.getElementById('draw-check'); return r && !r.hidden && r.textContent === r.dataset.ok; })()`,
    );
    await expectNoAxeViolations(visitor);
    const ranked = await database
      .db('draw_results')
      .where({ opportunity_id: s.id })
      .select('application_id');
    expect(ranked.map((r) => Number(r.application_id))).toEqual([mine]);
  });

  it('the winner accepts the terms with the keyboard: a contract, the opportunity awarded', async () => {
    const offer = await database
      .db('contracts')
      .where({ opportunity_id: s.id, status: 'offered', application_id: mine })
      .first('id');
    expect(offer, 'the contract is offered to the one drawn').toBeDefined();
    // A day later, from the email's link: the session has ended, so the supplier signs in again.
    await visit(supplier, 'offer', { id: offer.id }, lang);
    expect(new URL(supplier.url()).pathname).toBe(url('signIn', {}, lang));
    await signInByKeyboard(supplier, supplierEmail);
    expect(new URL(supplier.url()).pathname).toBe(url('offer', { id: offer.id }, lang));
    await tabTo(supplier, '#agree');
    await supplier.keyboard.press('Space');
    await tabTo(supplier, '#accept button');
    await pressEnterAndWait(supplier);

    const contract = await database.db('contracts').where({ id: offer.id }).first('status');
    expect(contract.status).toBe('in_progress');
    const opportunity = await database.db('opportunities').where({ id: s.id }).first('status');
    expect(opportunity.status).toBe('awarded');
    const acceptance = await database
      .db('terms_acceptances')
      .where({ contract_id: offer.id })
      .first('language');
    expect(acceptance?.language).toBe(lang);
  });
});

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lang } from '../../src/platform/i18n.ts';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { expectNoAxeViolations, launchBrowser, serve } from '../helpers/browser.ts';
import { aSupplierProfile } from '../helpers/contract-world.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import {
  aDeliveryWorld,
  CLIENT_PASSWORD,
  pullOn,
  type DeliveryWorld,
} from '../helpers/delivery-world.ts';
import { SUPPLIER_PASSWORD } from '../helpers/offers-world.ts';
import { aPayingDepartment, PAYER_PASSWORD, type Payers } from '../helpers/payment-world.ts';

/**
 * The end of the cycle in Chromium, in English and in French (issue 12, How well), from a
 * contract in progress: the supplier delivers, the client asks for revisions, the supplier
 * delivers again, the client accepts, the supplier invoices, the section 34 manager certifies,
 * the finance officer pays by acquisition card, the supplier confirms the money arrived. Each
 * step by its own person signed in in their own browser, in the page's language; axe finds no
 * WCAG 2.1 AA violation on any page visited, before and after each step.
 */
let database: TestDatabase;
let t: TestApp;
let browser: Browser;
let server: Awaited<ReturnType<typeof serve>>;
let payers: Payers;
const contexts: BrowserContext[] = [];
/** The sign-in page and each person's landing page, checked by axe once each. */
const checked = new Set<string>();

async function checkOnce(page: Page) {
  const { pathname } = new URL(page.url());
  if (checked.has(pathname)) return;
  checked.add(pathname);
  await expectNoAxeViolations(page);
}

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  // The department's finance officer (cardholder) and its section 34 manager, before any file.
  payers = await aPayingDepartment(t);
  server = await serve(t.app);
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.close();
  await database?.drop();
});

async function signedIn(email: string, password: string, lang: Lang): Promise<Page> {
  const context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(server.origin + url('signIn', {}, lang));
  await checkOnce(page);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('main form button[type=submit]');
  await page.waitForURL((u) => !u.pathname.includes(url('signIn', {}, lang)));
  await checkOnce(page);
  return page;
}

/** Opens one of the journey's pages: it answers 200 and passes axe. */
async function visit(page: Page, path: string) {
  expect((await page.goto(server.origin + path))?.status(), path).toBe(200);
  await expectNoAxeViolations(page);
}

async function deliver(w: DeliveryWorld, lang: Lang, pull: number) {
  const page = await signedIn(w.supplier.email, SUPPLIER_PASSWORD, lang);
  await visit(page, url('contract', { id: w.contractId }, lang));
  await visit(page, url('contractDelivery', { id: w.contractId }, lang));
  await page.fill('#pullRequests', pullOn(w.repositoryUrl, pull));
  await page.fill('#notes', lang === 'en' ? 'Run npm test.' : 'Lancez npm test.');
  await page.click('#deliver button[type=submit]');
  await page.waitForSelector('#deliver', { state: 'detached' });
  await expectNoAxeViolations(page);
}

async function review(w: DeliveryWorld, lang: Lang, decision: 'accept' | 'revisions') {
  const page = await signedIn(w.client.email, CLIENT_PASSWORD, lang);
  await visit(page, url('contractReview', { id: w.contractId }, lang));
  const [first, ...others] = w.criterionIds;
  for (const id of others) await page.check(`#met-${id}-yes`);
  if (decision === 'revisions') {
    await page.check(`#met-${first}-no`);
    await page.fill(
      `#comment-${first}`,
      lang === 'en'
        ? 'The unit tests fail on Firefox.'
        : 'Les tests unitaires échouent dans Firefox.',
    );
  } else {
    await page.check(`#met-${first}-yes`);
  }
  await page.click(`#decision button[value=${decision}]`);
  await page.waitForSelector('#review', { state: 'detached' });
  await expectNoAxeViolations(page);
}

async function invoice(w: DeliveryWorld, lang: Lang) {
  const page = await signedIn(w.supplier.email, SUPPLIER_PASSWORD, lang);
  await visit(page, url('invoice', { id: w.contractId }, lang));
  // Today's date (the form's default), then the preview of both languages' invoice.
  await page.click('#invoice-form button[type=submit]');
  await page.waitForSelector('#submit-invoice');
  await expectNoAxeViolations(page);
  await page.click('#submit-invoice button[type=submit]');
  await page.waitForSelector('.notice');
  await expectNoAxeViolations(page);
}

async function certify(reference: string, lang: Lang) {
  const page = await signedIn('certifier@esdc.example.ca', PAYER_PASSWORD, lang);
  await visit(page, url('certificationQueue', {}, lang));
  await page.click(`a[href="${url('certificationEvidence', { ref: reference }, lang)}"]`);
  await expectNoAxeViolations(page);
  await page.check('#attest');
  await page.click(`form[action="${url('certifyInvoice', { ref: reference }, lang)}"] button`);
  await page.waitForSelector('blockquote');
  await expectNoAxeViolations(page);
}

async function payByCard(invoiceId: number, lang: Lang) {
  const page = await signedIn('finance@esdc.example.ca', PAYER_PASSWORD, lang);
  await visit(page, url('paymentsQueue', {}, lang));
  await visit(page, url('invoicePayment', { invoice: invoiceId }, lang));
  await page.check('#method-card_direct');
  await page.selectOption('#card', String(payers.card.id));
  await page.fill('#last4', payers.card.last4);
  await page.fill('#authorizationCode', `AUTH-${lang.toUpperCase()}-1`);
  await page.click('#pay-by-card button[type=submit]');
  await page.waitForSelector('[role=status]');
  await expectNoAxeViolations(page);
}

async function confirmReceipt(w: DeliveryWorld, lang: Lang) {
  const page = await signedIn(w.supplier.email, SUPPLIER_PASSWORD, lang);
  await visit(page, url('supplierPayment', { id: w.contractId }, lang));
  await page.click('#confirm button[type=submit]');
  expect(await page.locator('[role=status]').textContent()).toContain(
    lang === 'en' ? 'completed' : 'terminé',
  );
  await expectNoAxeViolations(page);
  await visit(page, url('contract', { id: w.contractId }, lang));
}

/** Where the file stands: the contract, its invoice and its payment. */
async function standing(w: DeliveryWorld) {
  const { db } = database;
  const contract = await db('contracts').where({ id: w.contractId }).first('status');
  const invoiceRow = await db('invoices')
    .where({ contract_id: w.contractId })
    .first('id', 'status');
  const payment =
    invoiceRow && (await db('payments').where({ invoice_id: invoiceRow.id }).first('status'));
  return [contract?.status, invoiceRow?.status, payment?.status];
}

describe('the end of the cycle in Chromium', () => {
  for (const lang of ['en', 'fr'] as const) {
    it(`deliver, revisions, deliver, accept, invoice, certify, pay by card, confirm (${lang}): axe on every page`, async () => {
      const w = await aDeliveryWorld(t);
      await aSupplierProfile(t, w.supplier.id);
      await deliver(w, lang, 1);
      await review(w, lang, 'revisions');
      expect(await standing(w)).toEqual(['in_progress', undefined, undefined]);
      await deliver(w, lang, 2);
      await review(w, lang, 'accept');
      await invoice(w, lang);
      const { id: invoiceId } = await database
        .db('invoices')
        .where({ contract_id: w.contractId })
        .first('id');
      expect(await standing(w)).toEqual(['accepted', 'submitted', undefined]);
      await certify(w.s.reference, lang);
      await payByCard(Number(invoiceId), lang);
      expect(await standing(w)).toEqual(['accepted', 'paid', 'paid']);
      await confirmReceipt(w, lang);
      expect(await standing(w)).toEqual(['completed', 'paid', 'confirmed']);
      const rounds = await database.db('deliveries').where({ contract_id: w.contractId });
      expect(rounds.length).toBe(2);
      // A walk through some twenty pages, each checked by axe: minutes on a busy machine.
    }, 300_000);
  }
});

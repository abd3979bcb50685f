import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lang } from '../../src/platform/i18n.ts';
import { url } from '../../src/platform/routes.ts';
import { expectNoAxeViolations, launchBrowser } from '../helpers/browser.ts';
import { SUPPLIER_PASSWORD } from '../helpers/offers-world.ts';
import { FINANCE_PASSWORD, paypalWorld } from '../helpers/paypal-world.ts';

/**
 * A PayPal payout in Chromium, in English and in French, against the fake PayPal: finance pays by
 * PayPal (first without ticking the box: the error summary), the payout is pending, then
 * unclaimed (the supplier reads their next step), finance cancels it and pays the invoice by card.
 * Axe finds no WCAG 2.1 AA violation in any of these states.
 */
const w = paypalWorld();
let browser: Browser;
const contexts: BrowserContext[] = [];
const origin = () => new URL(w.webhookUrl).origin;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
});

async function signedIn(email: string, password: string, lang: Lang): Promise<Page> {
  const context = await browser.newContext();
  context.setDefaultTimeout(5_000);
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(origin() + url('signIn', {}, lang));
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
  return page;
}

const submit = (page: Page, action: string) =>
  Promise.all([page.waitForNavigation(), page.click(`form[action="${action}"] button`)]);

describe.each(['en', 'fr'] as const)('a PayPal payout (%s)', (lang) => {
  it('unclaimed, cancelled, then paid by card: no accessibility violation on any page', async () => {
    const invoice = await w.aPayableInvoice({ language: lang });
    const { db } = w.database;
    const [card] = await db('acquisition_cards')
      .insert({
        department_id: invoice.s.departmentId,
        cardholder_id: invoice.finance.id,
        last4: '4242',
        per_transaction_limit_cents: 1_000_000,
      })
      .returning('id');
    const paypalPage = url('paypalPayout', { invoice: invoice.invoiceId }, lang);
    const finance = await signedIn(invoice.finance.email, FINANCE_PASSWORD, lang);
    await finance.goto(origin() + paypalPage);
    await expectNoAxeViolations(finance);

    await submit(finance, paypalPage);
    expect(await finance.locator('.error-summary').count()).toBe(1);
    await expectNoAxeViolations(finance);
    await finance.check('#confirm');
    await submit(finance, paypalPage);
    await w.jobs();
    await finance.reload();
    expect(await finance.locator('.paypal-payout').textContent()).toContain(
      lang === 'en' ? 'Pending at PayPal' : 'En attente chez PayPal',
    );
    await expectNoAxeViolations(finance);

    w.fake.setItemStatus('UNCLAIMED', w.fake.batches().at(-1)!.items[0]!.payout_item_id);
    await w.later(2 * 60_000);
    const supplier = await signedIn(invoice.supplier.email, SUPPLIER_PASSWORD, lang);
    await supplier.goto(origin() + url('supplierPayment', { id: invoice.contractId }, lang));
    expect(await supplier.locator('.paypal-payout').textContent()).toContain(
      lang === 'en' ? 'PayPal is holding the money for you' : 'PayPal garde l’argent pour vous',
    );
    await expectNoAxeViolations(supplier);

    await finance.reload();
    await expectNoAxeViolations(finance);
    await submit(finance, url('cancelPaypalPayout', { invoice: invoice.invoiceId }, lang));
    expect(await finance.locator('.paypal-payout').textContent()).toContain(
      lang === 'en' ? 'Cancelled' : 'Annulé',
    );
    await expectNoAxeViolations(finance);

    const payPage = url('invoicePayment', { invoice: invoice.invoiceId }, lang);
    await finance.goto(origin() + payPage);
    await finance.check('#method-card_direct');
    await finance.selectOption('#card', String(card.id));
    await finance.fill('#last4', '4242');
    await finance.fill('#authorizationCode', 'A1B2C3');
    await expectNoAxeViolations(finance);
    await submit(finance, url('payByCard', { invoice: invoice.invoiceId }, lang));
    const statuses = (await w.paymentsOf(invoice.invoiceId)).map((p) => [p.method, p.status]);
    expect(statuses).toEqual([
      ['paypal_payout', 'cancelled'],
      ['card_direct', 'paid'],
    ]);
    await expectNoAxeViolations(finance);
  }, 120_000);
});

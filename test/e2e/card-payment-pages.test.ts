import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { expectNoAxeViolations, launchBrowser, serve } from '../helpers/browser.ts';
import { aCertifiedInvoice, type ContractFile } from '../helpers/contract-world.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { SUPPLIER_PASSWORD } from '../helpers/offers-world.ts';
import { aPayingDepartment, PAYER_PASSWORD, type Payers } from '../helpers/payment-world.ts';

/**
 * Paying by card in Chromium, in English and in French: finance's queue, the payment page with a
 * refused form and then the payment, the cards and the statement; the supplier confirms receipt.
 * Every page passes axe (WCAG 2.1 AA).
 */
let database: TestDatabase;
let t: TestApp;
let browser: Browser;
let server: Awaited<ReturnType<typeof serve>>;
let payers: Payers;
let file: ContractFile;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  payers = await aPayingDepartment(t);
  file = await aCertifiedInvoice(t);
  server = await serve(t.app);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await database?.drop();
});

async function signedIn(email: string, password: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${server.origin}/en/sign-in`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('main form button[type=submit]');
  return page;
}

describe('paying by card in Chromium', () => {
  it('finance pays, the supplier confirms, every page passes axe', async () => {
    const finance = await signedIn('finance@esdc.example.ca', PAYER_PASSWORD);
    const invoice = { invoice: file.invoiceId! };
    for (const lang of ['en', 'fr'] as const) {
      for (const path of [
        url('paymentsQueue', {}, lang),
        url('invoicePayment', invoice, lang),
        url('acquisitionCards', { dept: 'esdc' }, lang),
      ]) {
        expect((await finance.goto(server.origin + path))?.status(), path).toBe(200);
        await expectNoAxeViolations(finance);
      }
    }
    // A refused form in French: the summary links to the field, what was typed stays.
    await finance.goto(server.origin + url('invoicePayment', invoice, 'fr'));
    await finance.check('#method-card_direct');
    await finance.selectOption('#card', String(payers.lowLimitCard.id));
    await finance.fill('#last4', payers.lowLimitCard.last4);
    await finance.fill('#authorizationCode', 'AUTH-7');
    await finance.click('#pay-by-card button[type=submit]');
    const link = finance.locator('.error-summary a[href="#limitIncrease"]');
    expect(await link.textContent()).toContain('augmentation temporaire');
    expect(await finance.inputValue('#authorizationCode')).toBe('AUTH-7');
    await expectNoAxeViolations(finance);
    await link.click();
    expect(await finance.evaluate('document.activeElement?.id')).toBe('limitIncrease');
    await finance.fill('#limitIncrease', 'INC-2026-42');
    await finance.click('#pay-by-card button[type=submit]');
    expect(await finance.locator('[role=status]').textContent()).toContain('consigné');
    await expectNoAxeViolations(finance);
    const month = (await database.db('payments').first('paid_on')).paid_on.slice(0, 7);
    await finance.goto(
      server.origin + url('cardStatement', { card: payers.lowLimitCard.id, month }, 'fr'),
    );
    await expectNoAxeViolations(finance);
    await finance.click('tbody form button');
    expect(await finance.locator('tbody').textContent()).toContain('Rapproché par');

    const supplier = await signedIn(file.supplier.email, SUPPLIER_PASSWORD);
    await supplier.goto(server.origin + url('supplierPayment', { id: file.contractId }, 'en'));
    await expectNoAxeViolations(supplier);
    await supplier.click('#confirm button[type=submit]');
    expect(await supplier.locator('[role=status]').textContent()).toContain('completed');
    await expectNoAxeViolations(supplier);
    // A browser walk through eleven pages: more than the default 30 s on a busy machine.
  }, 120_000);
});

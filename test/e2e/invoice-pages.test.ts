import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { expectNoAxeViolations, launchBrowser, screenshot, serve } from '../helpers/browser.ts';
import {
  aSupplierProfile,
  anAcceptedContract,
  type ContractFile,
} from '../helpers/contract-world.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { SUPPLIER_PASSWORD } from '../helpers/offers-world.ts';

/** The supplier's invoice pages in Chromium: axe in both languages, and the printed invoice. */
let database: TestDatabase;
let t: TestApp;
let browser: Browser;
let server: Awaited<ReturnType<typeof serve>>;
let file: ContractFile;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  file = await anAcceptedContract(t);
  await aSupplierProfile(t, file.supplier.id);
  server = await serve(t.app);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await database?.drop();
});

async function signedIn(): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${server.origin}/en/sign-in`);
  await page.fill('#email', file.supplier.email);
  await page.fill('#password', SUPPLIER_PASSWORD);
  await page.click('main form button[type=submit]');
  return page;
}

describe('the invoice pages in Chromium', () => {
  it('pass axe in English and French: the form, its errors, the preview and the invoice; print shows the invoice alone', async () => {
    const page = await signedIn();
    for (const lang of ['fr', 'en'] as const) {
      const response = await page.goto(
        server.origin + url('invoice', { id: file.contractId }, lang),
      );
      expect(response?.status()).toBe(200);
      await expectNoAxeViolations(page);
      await page.fill('#invoiceDate', '2099-01-01');
      await page.click('#invoice-form button[type=submit]');
      await expect.poll(() => page.locator('.error-summary').isVisible()).toBe(true);
      expect(await page.inputValue('#invoiceDate')).toBe('2099-01-01');
      await expectNoAxeViolations(page);
    }
    // In English: today's date (the page's default), the preview, the invoice submitted.
    await page.goto(server.origin + url('invoice', { id: file.contractId }, 'en'));
    await page.click('#invoice-form button[type=submit]');
    await page.waitForSelector('#submit-invoice');
    await expectNoAxeViolations(page);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.site-header').isVisible()).toBe(false);
    expect(await page.locator('.site-footer').isVisible()).toBe(false);
    expect(await page.locator('#submit-invoice').isVisible()).toBe(false);
    expect(await page.locator('.invoice-side').count()).toBe(2);
    expect(await page.locator('.invoice-side[lang="fr"]').isVisible()).toBe(true);
    await screenshot(page, 'invoice-print');
    await page.emulateMedia({ media: 'screen' });
    await page.click('#submit-invoice button[type=submit]');
    await page.waitForSelector('.notice');
    expect(page.url()).toBe(server.origin + url('invoice', { id: file.contractId }, 'en'));
    await expectNoAxeViolations(page);
  }, 120_000);
});

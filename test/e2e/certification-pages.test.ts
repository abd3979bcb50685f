import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { expectNoAxeViolations, launchBrowser, screenshot, serve } from '../helpers/browser.ts';
import { aSubmittedInvoice, type ContractFile } from '../helpers/contract-world.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment } from '../helpers/fixtures.ts';
import { insertPerson } from '../helpers/people.ts';
import { aCancelledOpportunity } from '../helpers/scenarios.ts';

/** The section 34 pages and the funds to release in Chromium: axe in both languages. */
const PASSWORD = 'certification browser passphrase';
let database: TestDatabase;
let t: TestApp;
let browser: Browser;
let server: Awaited<ReturnType<typeof serve>>;
let file: ContractFile;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  const department = await insertDepartment(database.db);
  for (const [email, role] of [
    ['certifier@browser.example.ca', 'section34_manager'],
    ['finance@browser.example.ca', 'finance_officer'],
  ] as const) {
    await insertPerson(database.db, {
      email,
      password: PASSWORD,
      confirmedAt: t.clock.now(),
      grants: [{ role, department }],
    });
  }
  await aCancelledOpportunity(t, { department });
  file = await aSubmittedInvoice(t);
  server = await serve(t.app);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await database?.drop();
});

async function signedIn(email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${server.origin}/en/sign-in`);
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await page.click('main form button[type=submit]');
  return page;
}

describe('the section 34 pages in Chromium', () => {
  it('pass axe in English and French: the queue, the evidence page, its errors, the certification', async () => {
    const page = await signedIn('certifier@browser.example.ca');
    const ref = file.s.reference;
    for (const lang of ['fr', 'en'] as const) {
      expect((await page.goto(server.origin + url('certificationQueue', {}, lang)))?.status()).toBe(
        200,
      );
      await expectNoAxeViolations(page);
      await page.click(`a[href="${url('certificationEvidence', { ref }, lang)}"]`);
      await expectNoAxeViolations(page);
      // Certify without the box checked: the error summary, then the return without a reason.
      await page.click(`form[action="${url('certifyInvoice', { ref }, lang)}"] button`);
      await expect.poll(() => page.locator('.error-summary').isVisible()).toBe(true);
      await expectNoAxeViolations(page);
      await page.click(`form[action="${url('returnInvoice', { ref }, lang)}"] button`);
      await expect.poll(() => page.locator('.error-summary').isVisible()).toBe(true);
      await expectNoAxeViolations(page);
    }
    await screenshot(page, 'certification-evidence');
    await page.check('#attest');
    await page.click(`form[action="${url('certifyInvoice', { ref }, 'en')}"] button`);
    await expect.poll(() => page.locator('blockquote').isVisible()).toBe(true);
    await expectNoAxeViolations(page);
  }, 120_000);

  it('the funds to release pass axe in English and French', async () => {
    const page = await signedIn('finance@browser.example.ca');
    for (const lang of ['fr', 'en'] as const) {
      expect((await page.goto(server.origin + url('fundsToRelease', {}, lang)))?.status()).toBe(
        200,
      );
      expect(await page.locator('tbody tr').count()).toBeGreaterThan(0);
      await expectNoAxeViolations(page);
    }
  }, 60_000);
});

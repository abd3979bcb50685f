import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoOnce } from '../../src/demo/loader.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { expectNoAxeViolations, launchBrowser, serve } from '../helpers/browser.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

/**
 * "Needs attention" / « À traiter » in Chromium with the demo data: each person lands on it after
 * signing in, sees the queue of their step, and axe finds no WCAG 2.1 AA violation (issue 14).
 */
const PASSWORD = 'needs attention passphrase';
let database: TestDatabase;
let t: TestApp;
let browser: Browser;
let server: Awaited<ReturnType<typeof serve>>;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db, { now: new Date().toISOString() });
  await seedDemoOnce(t.deps, PASSWORD);
  server = await serve(t.app);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await database?.drop();
});

describe('Needs attention in Chromium', () => {
  it.each([
    // The demo's contracts after the award: one delivered, one invoiced, two certified (card, PayPal).
    ['client@esdc.example.ca', 'en', '#client-deliveriesToReview', 1],
    ['s34@esdc.example.ca', 'fr', '#section34_manager-invoicesToCertify', 1],
    ['finance@esdc.example.ca', 'en', '#finance_officer-paymentsToMake', 2],
    ['platform@example.ca', 'fr', '#platform_admin-failedEmails', 0],
    ['ada@supplier.example.com', 'fr', '#supplier-paymentsExpected', 1],
  ] as const)(
    '%s lands on it in %s, with their queue, and it passes axe',
    async (email, lang, queue, lines) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      try {
        await page.goto(`${server.origin}/${lang}/${lang === 'en' ? 'sign-in' : 'connexion'}`);
        await page.fill('#email', email);
        await page.fill('#password', PASSWORD);
        await page.click('main form button[type=submit]');
        await page.waitForLoadState('load');
        expect(new URL(page.url()).pathname).toBe(
          lang === 'en' ? '/en/work-queues' : '/fr/a-traiter',
        );
        expect(await page.locator(queue).count(), queue).toBe(1);
        expect(await page.locator(`${queue} + table tbody tr`).count(), queue).toBe(lines);
        await expectNoAxeViolations(page);
      } finally {
        await context.close();
      }
    },
  );
});

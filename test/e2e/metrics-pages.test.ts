import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoOnce } from '../../src/demo/loader.ts';
import { createTestApp } from '../helpers/app.ts';
import { expectNoAxeViolations, launchBrowser, serve } from '../helpers/browser.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

/**
 * The metrics pages in Chromium with the demo data: the public one and the staff one, in both
 * languages, their SVG charts included, pass axe (WCAG 2.1 AA) — issue 14, "How well" — and so
 * does the staff page refusing a bad filter.
 */
const PASSWORD = 'metrics pages passphrase';
let database: TestDatabase;
let browser: Browser;
let server: Awaited<ReturnType<typeof serve>>;

beforeAll(async () => {
  database = await createTestDatabase();
  const t = await createTestApp(database.db, { now: new Date().toISOString() });
  await seedDemoOnce(t.deps, PASSWORD);
  server = await serve(t.app);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await database?.drop();
});

describe('the metrics pages in Chromium', () => {
  it.each(['en', 'fr'] as const)('the public page passes axe in %s', async (lang) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      const res = await page.goto(
        `${server.origin}/${lang}/${lang === 'en' ? 'metrics' : 'mesures'}`,
      );
      expect(res?.status()).toBe(200);
      expect(await page.locator('svg[role="img"]').count()).toBe(2);
      await expectNoAxeViolations(page);
    } finally {
      await context.close();
    }
  });

  it.each(['en', 'fr'] as const)('the staff page passes axe in %s', async (lang) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${server.origin}/${lang}/${lang === 'en' ? 'sign-in' : 'connexion'}`);
      await page.fill('#email', 'client@esdc.example.ca');
      await page.fill('#password', PASSWORD);
      await page.click('main form button[type=submit]');
      await page.waitForLoadState('load');
      const res = await page.goto(
        `${server.origin}/${lang}/${lang === 'en' ? 'staff/metrics' : 'personnel/mesures'}`,
      );
      expect(res?.status()).toBe(200);
      expect(await page.locator('select#year option').count()).toBeGreaterThan(1);
      expect(await page.locator('a[data-export]').count()).toBe(4);
      await expectNoAxeViolations(page);
      // A bad filter: the same page with its error summary, no figures.
      const refused = await page.goto(`${page.url()}?year=20x6`);
      expect(refused?.status()).toBe(400);
      expect(await page.locator('.error-summary a[href="#year"]').count()).toBe(1);
      await expectNoAxeViolations(page);
    } finally {
      await context.close();
    }
  });
});

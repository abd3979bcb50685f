import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoOnce } from '../../src/demo/loader.ts';
import { createTestApp } from '../helpers/app.ts';
import { expectNoAxeViolations, launchBrowser, serve } from '../helpers/browser.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

const PASSWORD = 'admin pages passphrase';
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

async function signIn(page: Page, email: string) {
  await page.goto(`${server.origin}/en/sign-in`);
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await page.click('main form button[type=submit]');
}

describe('department administration pages in Chromium', () => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    context = await browser.newContext();
    page = await context.newPage();
    await signIn(page, 'admin@esdc.example.ca');
  });

  afterAll(async () => {
    await context?.close();
  });

  it.each([
    '/en/admin/departments',
    '/fr/admin/ministeres',
    '/en/admin/departments/esdc',
    '/fr/admin/ministeres/esdc',
    '/en/admin/departments/esdc/staff',
    '/fr/admin/ministeres/esdc/personnel',
  ])('%s passes axe (WCAG 2.1 AA)', async (path) => {
    const response = await page.goto(server.origin + path);
    expect(response?.status(), path).toBe(200);
    await expectNoAxeViolations(page);
  });

  it('shows a refused grant accessibly, in French, with the summary linking to the field', async () => {
    await page.goto(`${server.origin}/fr/admin/ministeres/esdc/personnel`);
    await page.selectOption('#grantUser', { index: 1 });
    await page.selectOption('#grantRole', 'section32_manager');
    await page.click('form:has(#grantRole) button[type=submit]');
    expect(await page.locator('.error-summary a[href="#grantLimit"]').textContent()).toContain(
      'Saisissez la limite du pouvoir délégué',
    );
    expect(await page.inputValue('#grantRole')).toBe('section32_manager');
    await expectNoAxeViolations(page);
    await page.click('.error-summary a[href="#grantLimit"]');
    expect(await page.evaluate('document.activeElement?.id')).toBe('grantLimit');
  });

  it('shows settings errors accessibly', async () => {
    await page.goto(`${server.origin}/en/admin/departments/esdc`);
    await page.fill('#nameEn', '');
    await page.fill('#acronymFr', '?');
    await page.click('main form button[type=submit]');
    expect(await page.locator('.error-summary a').count()).toBe(2);
    expect(await page.inputValue('#acronymFr')).toBe('?');
    await expectNoAxeViolations(page);
  });
});

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoOnce } from '../../src/demo/loader.ts';
import { createTestApp } from '../helpers/app.ts';
import { expectNoAxeViolations, launchBrowser, screenshot, serve } from '../helpers/browser.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

let database: TestDatabase;
let browser: Browser;
let server: Awaited<ReturnType<typeof serve>>;
let openReference: string;

// `npm run screenshots` also refreshes the few pictures the README shows.
const readmeShots = new Set([
  'home-fr-desktop',
  'opportunity-en-desktop',
  'opportunities-fr-phone',
]);

beforeAll(async () => {
  database = await createTestDatabase();
  const t = await createTestApp(database.db, { now: new Date().toISOString() });
  await seedDemoOnce(t.deps, 'public pages passphrase');
  const [withAddendum] = await database
    .db('opportunities as o')
    .join('addenda as a', 'a.opportunity_id', 'o.id')
    .where('o.status', 'published')
    .pluck('o.reference');
  openReference = withAddendum;
  server = await serve(t.app);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await database?.drop();
});

const pages = [
  { name: 'home', en: '/en', fr: '/fr' },
  { name: 'opportunities', en: '/en/opportunities', fr: '/fr/occasions' },
  { name: 'opportunity', en: '/en/opportunities/:ref', fr: '/fr/occasions/:ref' },
  { name: 'supplier-guide', en: '/en/supplier-guide', fr: '/fr/guide-du-fournisseur' },
  { name: 'about', en: '/en/about', fr: '/fr/a-propos' },
  { name: 'privacy', en: '/en/privacy', fr: '/fr/confidentialite' },
  { name: 'not-found', en: '/en/no-such-page', fr: '/fr/page-inexistante' },
  { name: 'sign-in', en: '/en/sign-in', fr: '/fr/connexion' },
  { name: 'create-account', en: '/en/create-account', fr: '/fr/creer-un-compte' },
  { name: 'forgot-password', en: '/en/forgot-password', fr: '/fr/mot-de-passe-oublie' },
  { name: 'mailing-list', en: '/en/mailing-list', fr: '/fr/liste-de-diffusion' },
  {
    name: 'unsubscribe',
    en: `/en/mailing-list/unsubscribe/${'x'.repeat(43)}`,
    fr: `/fr/liste-de-diffusion/desabonnement/${'x'.repeat(43)}`,
  },
  {
    name: 'unwatch',
    en: `/en/unwatch/${'x'.repeat(43)}`,
    fr: `/fr/ne-plus-suivre/${'x'.repeat(43)}`,
  },
];

const devices = {
  desktop: { viewport: { width: 1280, height: 900 } },
  phone: { viewport: { width: 375, height: 740 }, isMobile: true },
};

describe('public pages in Chromium', () => {
  it.each(pages)(
    '$name passes axe (WCAG 2.1 AA) in both languages, on a desktop and a phone',
    async (p) => {
      for (const lang of ['en', 'fr'] as const) {
        for (const [device, options] of Object.entries(devices)) {
          const context = await browser.newContext(options);
          const page = await context.newPage();
          const response = await page.goto(server.origin + p[lang].replace(':ref', openReference));
          expect(response?.status(), p[lang]).toBe(p.name === 'not-found' ? 404 : 200);
          expect(await page.getAttribute('html', 'lang')).toBe(lang);
          await expectNoAxeViolations(page);
          await screenshot(page, `${p.name}-${lang}-${device}`, readmeShots);
          await context.close();
        }
      }
    },
  );

  it('the bilingual splash page passes axe', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.origin + '/');
    await expectNoAxeViolations(page);
    await screenshot(page, 'splash');
    await context.close();
  });

  it('shows form errors accessibly: a focusable summary linking to each field, in both languages', async () => {
    for (const path of ['/en/create-account', '/fr/creer-un-compte']) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(server.origin + path);
      await page.fill('#email', 'not-an-email');
      await page.click('form button[type=submit]');
      expect(await page.inputValue('#email')).toBe('not-an-email');
      expect(await page.locator('.error-summary a').count()).toBeGreaterThanOrEqual(3);
      await expectNoAxeViolations(page);
      await page.click('.error-summary a[href="#email"]');
      expect(await page.evaluate('document.activeElement?.id')).toBe('email');
      await context.close();
    }
  });

  it('lets a keyboard user skip to the content and toggle the language on the same page', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.origin}/en/opportunities/${openReference}`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to main content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement?.id')).toBe('main');
    await page.click('.lang-toggle a');
    expect(new URL(page.url()).pathname).toBe(`/fr/occasions/${openReference}`);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await page.close();
  });

  it('works without JavaScript: the closed opportunities open from their summary', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.origin}/fr/occasions`);
    const table = page.locator('details.past table');
    expect(await table.isVisible()).toBe(false);
    await page.click('details.past summary');
    expect(await table.isVisible()).toBe(true);
    await page.click('.cards .card-title a >> nth=0');
    expect(new URL(page.url()).pathname).toMatch(/^\/fr\/occasions\/MA-\d{4}-\d{4}$/);
    await context.close();
  });
});

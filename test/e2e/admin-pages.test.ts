import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoOnce } from '../../src/demo/loader.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { expectNoAxeViolations, launchBrowser, serve } from '../helpers/browser.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertPerson } from '../helpers/people.ts';
import { aScreenedRequest } from '../helpers/scenarios.ts';

const PASSWORD = 'admin pages passphrase';
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
    '/en/admin/departments/esdc/audit-log',
    '/fr/admin/ministeres/esdc/journal-audit?action=submit',
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

  it('shows the audit log of an opportunity, and its filters’ errors, accessibly', async () => {
    const { reference } = await database
      .db('opportunities as o')
      .join('departments as d', 'd.id', 'o.department_id')
      .where('d.acronym_en', 'ESDC')
      .first('o.reference');
    const response = await page.goto(
      `${server.origin}/fr/admin/occasions/${reference}/journal-audit`,
    );
    expect(response?.status()).toBe(200);
    await expectNoAxeViolations(page);
    await page.fill('#from', '2026-13-01');
    await page.click('main form button[type=submit]');
    expect(await page.locator('.error-summary a[href="#from"]').count()).toBe(1);
    expect(await page.inputValue('#from')).toBe('2026-13-01');
    await expectNoAxeViolations(page);
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

describe('segregation override pages in Chromium', () => {
  let proposer: BrowserContext;
  let confirmer: BrowserContext;
  let reference: string;

  beforeAll(async () => {
    const { db } = database;
    const esdc = Number((await db('departments').where({ acronym_en: 'ESDC' }).first('id')).id);
    // The demo has no manager who also requests purchases: one who does asks for the override.
    const requester = await insertPerson(db, {
      email: 'requesting.manager@esdc.example.ca',
      password: PASSWORD,
      name: 'Requesting Manager',
      confirmedAt: t.clock.now(),
      grants: [
        { role: 'client', department: esdc },
        { role: 'section32_manager', department: esdc, limitCents: 1_000_000 },
      ],
    });
    ({ reference } = await aScreenedRequest(t, { department: esdc, requester }));
    proposer = await browser.newContext();
    await signIn(await proposer.newPage(), 'requesting.manager@esdc.example.ca');
    confirmer = await browser.newContext();
    await signIn(await confirmer.newPage(), 's32@esdc.example.ca');
  });

  afterAll(async () => {
    await proposer?.close();
    await confirmer?.close();
  });

  it('asks for an override accessibly, a reason too short refused with the summary linking to it', async () => {
    const page = proposer.pages()[0]!;
    await page.goto(`${server.origin}/en/requests/${reference}/section-32`);
    await expectNoAxeViolations(page);
    await page.fill('#overrideReason', 'Too short.');
    await page.click('form:has(#overrideReason) button[type=submit]');
    expect(await page.inputValue('#overrideReason')).toBe('Too short.');
    await expectNoAxeViolations(page);
    await page.click('.error-summary a[href="#overrideReason"]');
    expect(await page.evaluate('document.activeElement?.id')).toBe('overrideReason');
    await page.fill('#overrideReason', 'The only other section 32 manager is on leave this month.');
    await page.click('form:has(#overrideReason) button[type=submit]');
    expect(await page.locator('#override').textContent()).toBe('Override awaiting confirmation');
    await expectNoAxeViolations(page);
  });

  it('lists it for the second manager and confirms it accessibly, in both languages', async () => {
    const page = confirmer.pages()[0]!;
    for (const queues of ['/en/work-queues', '/fr/a-traiter']) {
      await page.goto(server.origin + queues);
      await expectNoAxeViolations(page);
    }
    await page.click(`a[href*="/derogations/"]`);
    await expectNoAxeViolations(page);
    await page.click('main button:has-text("Confirmer la dérogation")');
    expect(await page.locator('.notice').textContent()).toContain('a confirmé cette dérogation');
    await expectNoAxeViolations(page);
    const approval = proposer.pages()[0]!;
    await approval.goto(`${server.origin}/fr/demandes-d-occasion/${reference}/article-32`);
    expect(await approval.locator('#attest').count()).toBe(1);
    await expectNoAxeViolations(approval);
  });
});

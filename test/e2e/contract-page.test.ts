import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lang } from '../../src/platform/i18n.ts';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { expectNoAxeViolations, launchBrowser, serve } from '../helpers/browser.ts';
import { aContractInProgress } from '../helpers/contract-world.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { SUPPLIER_PASSWORD } from '../helpers/offers-world.ts';
import { insertPerson } from '../helpers/people.ts';
import { defaultDepartment } from '../helpers/scenario-people.ts';

/**
 * The contract page in Chromium, in English and in French: the supplier checks in at risk (the
 * form first sent without its note, the error summary shown), writes a message; the client reads
 * both and the forms to extend or terminate. Axe finds no violation on any state of the page.
 */

const PASSWORD = 'contract browser passphrase';
const CLIENT = 'clement@esdc.example.ca';

let database: TestDatabase;
let t: TestApp;
let browser: Browser;
let server: Awaited<ReturnType<typeof serve>>;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  await insertPerson(database.db, {
    email: CLIENT,
    password: PASSWORD,
    confirmedAt: t.clock.now(),
    grants: [{ role: 'client', department: await defaultDepartment(database.db) }],
  });
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
  context.setDefaultTimeout(5_000);
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(server.origin + url('signIn', {}, lang));
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
  return page;
}

const submit = (page: Page, action: string) =>
  Promise.all([page.waitForNavigation(), page.click(`form[action="${action}"] button`)]);

describe.each(['en', 'fr'] as const)('the contract page (%s)', (lang) => {
  it('has no accessibility violation for the supplier or the client, forms and errors included', async () => {
    const file = await aContractInProgress(t, { language: lang });
    const id = file.contractId;
    const address = server.origin + url('contract', { id }, lang);

    const supplier = await signedIn(file.supplier.email, SUPPLIER_PASSWORD, lang);
    await supplier.goto(address);
    await expectNoAxeViolations(supplier);

    await supplier.check('#answer-at_risk');
    await submit(supplier, url('contractCheckIn', { id }, lang));
    expect(await supplier.locator('.error-summary').count()).toBe(1);
    await expectNoAxeViolations(supplier);

    await supplier.fill('#note', lang === 'en' ? 'The test API is down.' : 'L’API est en panne.');
    await submit(supplier, url('contractCheckIn', { id }, lang));
    await supplier.fill('#body', lang === 'en' ? 'Can we talk today?' : 'Pouvons-nous parler?');
    await submit(supplier, url('contractMessages', { id }, lang));
    await expectNoAxeViolations(supplier);

    const client = await signedIn(CLIENT, PASSWORD, lang);
    await client.goto(address);
    expect(await client.locator('.message-thread li').count()).toBe(1);
    expect(
      await client.locator(`form[action="${url('contractTermination', { id }, lang)}"]`).count(),
    ).toBe(1);
    await expectNoAxeViolations(client);
  });
});

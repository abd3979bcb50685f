import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoOnce } from '../../src/demo/loader.ts';
import type { OutboxRow } from '../../src/platform/mail/outbox.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { expectNoAxeViolations, launchBrowser, serve } from '../helpers/browser.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertPerson } from '../helpers/people.ts';

/**
 * Issue 14 item 5, "How well": a third department from nothing, in French, in Chromium — the
 * platform administrator creates it and proposes its first administrator, a second platform
 * administrator confirms, that administrator chooses a password from the emailed link, invites
 * a client, and the client starts the department's first request. axe on every new page.
 */
const PASSWORD = 'onboarding passphrase 2026';
const NEW_PASSWORD = 'a passphrase of my own 2026';
let database: TestDatabase;
let t: TestApp;
let browser: Browser;
let server: Awaited<ReturnType<typeof serve>>;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db, { now: new Date().toISOString() });
  await seedDemoOnce(t.deps, PASSWORD);
  await insertPerson(database.db, {
    email: 'platform2@example.ca',
    password: PASSWORD,
    grants: [{ role: 'platform_admin', department: null }],
    confirmedAt: t.clock.now(),
  });
  server = await serve(t.app);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await database?.drop();
});

async function signedIn(email: string, password = PASSWORD): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${server.origin}/fr/connexion`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('main form button[type=submit]');
  return page;
}

/** Chooses a password from the last invitation emailed to this address. */
async function acceptInvitation(email: string) {
  const [row] = (await database
    .db('outbox')
    .where({ template: 'staff-invitation', recipient: email })
    .orderBy('id', 'desc')
    .limit(1)) as OutboxRow[];
  const link = (row!.data as { link: { fr: string } }).link.fr;
  const page = await (await browser.newContext()).newPage();
  await page.goto(server.origin + new URL(link).pathname);
  await page.fill('#password', NEW_PASSWORD);
  await page.fill('#passwordConfirmation', NEW_PASSWORD);
  await page.click('main form button[type=submit]');
  await expectNoAxeViolations(page);
}

describe('onboarding a third department, in French', () => {
  it('goes from nothing to its client’s first request', async () => {
    const platform = await signedIn('platform@example.ca');
    await platform.goto(`${server.origin}/fr/admin/ministeres`);
    await platform.click('a:has-text("Créer un ministère")');
    await expectNoAxeViolations(platform);
    // A mistake first: the card needs its exemption; the form comes back, accessibly.
    await platform.fill('#nameEn', 'Fisheries and Oceans Canada');
    await platform.fill('#nameFr', 'Pêches et Océans Canada');
    await platform.fill('#acronymEn', 'DFO');
    await platform.fill('#acronymFr', 'MPO');
    await platform.fill('#costCentres', 'CC-100');
    await platform.fill('#emailDomains', 'dfo-mpo.example.ca');
    await platform.fill('#cardExemptionReference', '');
    await platform.click('main form button[type=submit]');
    expect(await platform.locator('.error-summary a[href="#cardExemptionReference"]').count()).toBe(
      1,
    );
    expect(await platform.inputValue('#nameFr')).toBe('Pêches et Océans Canada');
    await expectNoAxeViolations(platform);
    await platform.fill('#cardExemptionReference', 'CFO-2026-07');
    await platform.click('main form button[type=submit]');
    expect(platform.url()).toContain('/fr/admin/ministeres/dfo/personnel');
    expect(await platform.locator('.notice').textContent()).toContain('Le ministère est créé.');
    await expectNoAxeViolations(platform);

    // Its first administrator, proposed ...
    await platform.fill('#inviteEmail', 'premiere.admin@dfo-mpo.example.ca');
    await platform.check('input[name=inviteLanguage][value=fr]');
    await platform.selectOption('#inviteRole', 'department_admin');
    await platform.click('form:has(#inviteEmail) button[type=submit]');
    expect(await platform.locator('.notice').textContent()).toContain('Le rôle est proposé.');
    // ... and confirmed by a second platform administrator.
    const second = await signedIn('platform2@example.ca');
    await second.goto(`${server.origin}/fr/admin/ministeres/dfo/personnel`);
    await expectNoAxeViolations(second);
    await second.click('main form:has(input[value=confirm]) button[type=submit]');
    expect(await second.locator('.notice').textContent()).toContain('Le rôle est confirmé');

    await acceptInvitation('premiere.admin@dfo-mpo.example.ca');
    const admin = await signedIn('premiere.admin@dfo-mpo.example.ca', NEW_PASSWORD);
    await admin.goto(`${server.origin}/fr/admin/ministeres/dfo/personnel`);
    await admin.fill('#inviteEmail', 'client@dfo-mpo.example.ca');
    await admin.check('input[name=inviteLanguage][value=fr]');
    await admin.selectOption('#inviteRole', 'client');
    await admin.click('form:has(#inviteEmail) button[type=submit]');
    expect(await admin.locator('.notice').textContent()).toContain('L’invitation est envoyée');
    await expectNoAxeViolations(admin);
    // The department's audit log, accessible, shows the whole story.
    await admin.goto(`${server.origin}/fr/admin/ministeres/dfo/journal-audit`);
    await expectNoAxeViolations(admin);
    expect(await admin.locator('main').textContent()).toContain('Ministère créé');

    await acceptInvitation('client@dfo-mpo.example.ca');
    const client = await signedIn('client@dfo-mpo.example.ca', NEW_PASSWORD);
    await client.goto(`${server.origin}/fr/demandes-d-occasion/nouvelle`);
    await client.check('input[name=sourceLanguage][value=fr]');
    await client.click('main form button[type=submit]');
    await expectNoAxeViolations(client);
    const dfo = await database.db('departments').where({ acronym_en: 'DFO' }).first('id');
    const request = await database.db('opportunities').where({ department_id: dfo.id }).first();
    expect(request).toMatchObject({ status: 'draft' });
  });
});

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lang } from '../../src/platform/i18n.ts';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { expectNoAxeViolations, launchBrowser, screenshot, serve } from '../helpers/browser.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import {
  aDeliveryWorld,
  CLIENT_PASSWORD,
  pullOn,
  type DeliveryWorld,
} from '../helpers/delivery-world.ts';
import { startFakeForge, type FakeForge } from '../helpers/fake-forge.ts';
import { SUPPLIER_PASSWORD } from '../helpers/offers-world.ts';

/**
 * Delivery and review in Chromium, in French then English: deliver → request revisions →
 * deliver → accept, each page and its errors passing axe, the CI check shown from the fake GitHub.
 */
let database: TestDatabase;
let forge: FakeForge;
let t: TestApp;
let browser: Browser;
let server: Awaited<ReturnType<typeof serve>>;

beforeAll(async () => {
  database = await createTestDatabase();
  forge = await startFakeForge();
  t = await createTestApp(database.db, {
    env: { GITHUB_API_URL: forge.githubApiUrl, GITLAB_API_URL: forge.gitlabApiUrl },
  });
  server = await serve(t.app);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await forge?.close();
  await database?.drop();
});

async function signedIn(email: string, password: string, lang: Lang): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${server.origin}${url('signIn', {}, lang)}`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('main form button[type=submit]');
  await page.waitForURL((u) => !u.pathname.includes(url('signIn', {}, lang)));
  return page;
}

async function deliver(w: DeliveryWorld, lang: Lang, n: number) {
  const page = await signedIn(w.supplier.email, SUPPLIER_PASSWORD, lang);
  await page.goto(server.origin + url('contractDelivery', { id: w.contractId }, lang));
  await expectNoAxeViolations(page);
  // A pull request on another repository: the form comes back with it, and passes axe.
  await page.fill('#pullRequests', 'https://github.com/someone/else/pull/1');
  await page.fill('#notes', 'Run npm test.');
  await page.click('#deliver button[type=submit]');
  await page.waitForSelector('.error-summary');
  expect(await page.inputValue('#notes')).toBe('Run npm test.');
  await expectNoAxeViolations(page);
  await screenshot(page, `delivery-form-error-${lang}`);
  await page.fill('#pullRequests', pullOn(w.repositoryUrl, n));
  await page.click('#deliver button[type=submit]');
  await page.waitForSelector('#deliver', { state: 'detached' });
  await expectNoAxeViolations(page);
  await page.context().close();
}

async function review(w: DeliveryWorld, lang: Lang, decision: 'accept' | 'revisions') {
  const page = await signedIn(w.client.email, CLIENT_PASSWORD, lang);
  await page.goto(server.origin + url('contractReview', { id: w.contractId }, lang));
  await page.waitForSelector('.ci-checks');
  await expectNoAxeViolations(page);
  await screenshot(page, `delivery-review-form-${decision}-${lang}`);
  const id = w.criterionIds[0]!;
  if (decision === 'revisions') {
    // Not met without a comment: refused, the choice kept.
    await page.check(`#met-${id}-no`);
    await page.click('#decision button[value=revisions]');
    await page.waitForSelector('.error-summary');
    expect(await page.isChecked(`#met-${id}-no`)).toBe(true);
    await expectNoAxeViolations(page);
    await page.fill(`#comment-${id}`, 'The unit tests fail on Firefox.');
    await page.click('#decision button[value=revisions]');
  } else {
    await page.check(`#met-${id}-yes`);
    await page.click('#decision button[value=accept]');
  }
  await page.waitForSelector('#review', { state: 'detached' });
  await expectNoAxeViolations(page);
  await page.context().close();
}

describe('delivery and review in Chromium', () => {
  for (const lang of ['fr', 'en'] as const) {
    it(`deliver, request revisions, deliver, accept (${lang}), axe on every page`, async () => {
      const w = await aDeliveryWorld(t);
      await database
        .db('acceptance_criteria')
        .where({ id: w.criterionIds[0] })
        .update({ ci_check: 'unit-tests' });
      const [owner, repo] = new URL(w.repositoryUrl).pathname.split('/').filter(Boolean);
      forge.pulls.set(`${owner}/${repo}#5`, 'a'.repeat(40));
      forge.checkRuns.set('a'.repeat(40), [
        { name: 'unit-tests', status: 'completed', conclusion: 'failure' },
      ]);
      await deliver(w, lang, 5);
      await review(w, lang, 'revisions');
      forge.checkRuns.set('a'.repeat(40), [
        { name: 'unit-tests', status: 'completed', conclusion: 'success' },
      ]);
      await deliver(w, lang, 5);
      await review(w, lang, 'accept');
      const { status } = await database.db('contracts').where({ id: w.contractId }).first('status');
      expect(status).toBe('accepted');
    }, 180_000);
  }
});

import { parse } from 'node-html-parser';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listenForContentChanges } from '../../src/platform/content-changes.ts';
import type { Lang } from '../../src/platform/i18n.ts';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { signIn } from '../helpers/people.ts';
import {
  anEvaluatedOpportunity,
  contractsOf,
  SUPPLIER_PASSWORD,
  theDraw,
  type Applicant,
} from '../helpers/offers-world.ts';

/**
 * Issue 11, item 7: the public pages of an awarded opportunity name the selected supplier only
 * if their profile says so, and never anyone else who applied, even someone who chose to be named.
 */

let database: TestDatabase;
let t: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
});

afterAll(async () => {
  await database.drop();
});

/** A complete profile, as saved with the password once: legal name, business and payment. */
async function giveProfile(a: Applicant, p: { display: string; business: string | null }) {
  await database.db('users').where({ id: a.userId }).update({ display_name: p.display });
  await database.db('supplier_profiles').insert({
    user_id: a.userId,
    legal_name: `${p.display} Legal`,
    supplier_type: p.business ? 'business' : 'individual',
    business_name: p.business,
    province: 'NS',
    accepts_card: true,
  });
}

/** The profile form as its page shows it, with the choice ticked or not: no payee detail changes. */
async function chooseToBeNamed(a: Applicant, named: boolean) {
  const browser = await signIn(t.app, a.email, SUPPLIER_PASSWORD);
  const page = parse((await browser.client.get(url('profile', {}, 'en'))).text);
  const form: Record<string, string> = {};
  for (const input of page.querySelectorAll('form input, form select')) {
    const name = input.getAttribute('name');
    const type = input.getAttribute('type');
    if (!name || name === '_csrf' || name === 'password') continue;
    if (type === 'checkbox' || type === 'radio') {
      if (input.hasAttribute('checked')) form[name] = input.getAttribute('value')!;
    } else if (input.tagName === 'SELECT') {
      form[name] = input.querySelector('option[selected]')?.getAttribute('value') ?? '';
    } else {
      form[name] = input.getAttribute('value') ?? '';
    }
  }
  if (named) form.namedIfSelected = 'yes';
  else delete form.namedIfSelected;
  const saved = await browser.post(url('profile', {}, 'en'), form);
  expect(saved.status).toBe(303);
  return page;
}

/** The winner accepts the terms: a contract exists and the opportunity is awarded. */
async function accept(opportunityId: number, winner: Applicant) {
  const [offer] = await contractsOf(t, opportunityId);
  const browser = await signIn(t.app, winner.email, SUPPLIER_PASSWORD);
  const page = url('offer', { id: offer.id }, 'en');
  const shown = parse((await browser.client.get(page)).text);
  const terms = shown.querySelector('input[name="terms"]')!.getAttribute('value')!;
  const accepted = await browser.post(
    url('acceptOffer', { id: offer.id }, 'en'),
    { version: String(offer.version), terms, agree: 'yes' },
    page,
  );
  expect(accepted.status).toBe(303);
}

/** Every public page of the opportunity, in both languages, as an anonymous visitor reads it. */
async function publicPages(reference: string) {
  const pages: string[] = [];
  for (const lang of ['en', 'fr'] as Lang[]) {
    for (const page of ['opportunity', 'drawResults', 'drawResultsJson'] as const) {
      const res = await request(t.app).get(url(page, { ref: reference }, lang));
      expect(res.status, `${page} ${lang}`).toBe(200);
      pages.push(res.text);
    }
  }
  return pages;
}

describe('the winner named on the public results only if they chose it', () => {
  it('names the selected supplier only with the choice on, and never anyone else', async () => {
    const e = await anEvaluatedOpportunity(t, [
      { passes: true },
      { passes: true },
      { passes: false },
    ]);
    const [winner, runnerUp] = await theDraw(t, e);
    const failing = e.applicants.find((a) => !a.passes)!;
    await giveProfile(winner!, { display: 'Wilhelmina Winner', business: 'Winner Works Inc.' });
    await giveProfile(runnerUp!, { display: 'Rupert Runnerup', business: 'Runnerup Code Ltd.' });
    await giveProfile(failing, { display: 'Fiona Failing', business: null });
    // The others chose to be named: it never names anyone but the selected supplier.
    await database
      .db('supplier_profiles')
      .whereIn('user_id', [runnerUp!.userId, failing.userId])
      .update({ named_if_selected: true });
    const others = ['Rupert Runnerup', 'Runnerup Code Ltd.', 'Fiona Failing'];
    const winnerNames = ['Wilhelmina Winner', 'Winner Works Inc.'];

    // Off by default, in both languages, with its explanation.
    const profile = await chooseToBeNamed(winner!, false);
    const box = profile.querySelector('input[name="namedIfSelected"]')!;
    expect(box.hasAttribute('checked')).toBe(false);
    expect(profile.querySelector('label[for="namedIfSelected"]')!.text).toContain(
      'If you are selected for a contract, show your name (or business name)',
    );

    // Drawn but not yet awarded: nobody is named, not even as "chose not to be".
    for (const html of await publicPages(e.s.reference)) {
      for (const name of [...winnerNames, ...others]) expect(html).not.toContain(name);
      expect(html).not.toContain('chose not to be named');
    }

    await accept(e.s.id, winner!);
    const [en, draw, json, fr, drawFr, jsonFr] = await publicPages(e.s.reference);
    for (const html of [en, draw, json, fr, drawFr, jsonFr]) {
      for (const name of [...winnerNames, ...others]) expect(html).not.toContain(name);
    }
    for (const html of [en, draw]) {
      expect(html).toContain('The selected supplier chose not to be named.');
    }
    for (const html of [fr, drawFr]) {
      expect(html).toContain('Le fournisseur retenu a choisi de ne pas être nommé.');
    }

    // The choice changes without the password (it is not a payee detail).
    await chooseToBeNamed(winner!, true);
    const row = await database
      .db('supplier_profiles')
      .where({ user_id: winner!.userId })
      .first('named_if_selected', 'legal_name');
    expect(row).toEqual({ named_if_selected: true, legal_name: 'Wilhelmina Winner Legal' });
    const named = await publicPages(e.s.reference);
    for (const html of named) {
      for (const name of others) expect(html).not.toContain(name);
      // The business name, not the person's.
      expect(html).not.toContain('Wilhelmina Winner');
    }
    const [namedEn, namedDraw, namedJson, namedFr, namedDrawFr] = named;
    for (const html of [namedEn, namedDraw]) {
      expect(html).toContain('The contract was awarded to Winner Works Inc.');
    }
    for (const html of [namedFr, namedDrawFr]) {
      expect(html).toContain('Le contrat a été attribué à Winner Works Inc.');
    }
    // The draw's JSON stays what a verifier needs, without any name.
    expect(namedJson).not.toContain('Winner Works Inc.');
    expect(t.missingKeys).toEqual([]);
  });

  it('names an individual by their display name', async () => {
    const e = await anEvaluatedOpportunity(t, [{ passes: true }]);
    const [winner] = await theDraw(t, e);
    await giveProfile(winner!, { display: 'Isidore Individual', business: null });
    await chooseToBeNamed(winner!, true);
    await accept(e.s.id, winner!);
    const [en, draw] = await publicPages(e.s.reference);
    for (const html of [en, draw]) {
      expect(html).toContain('The contract was awarded to Isidore Individual.');
      expect(html).not.toContain('Isidore Individual Legal');
    }
  });

  it('empties the page cache when the winner changes the choice', async () => {
    const e = await anEvaluatedOpportunity(t, [{ passes: true }]);
    const [winner] = await theDraw(t, e);
    await giveProfile(winner!, { display: 'Cassandra Cached', business: null });
    await accept(e.s.id, winner!);
    const cached = await createTestApp(database.db, { cacheSeconds: 60 });
    cached.clock.set(t.clock.now());
    const listener = await listenForContentChanges(
      database.url,
      () => cached.deps.pageCache.clear(),
      cached.deps.logger,
    );
    try {
      const page = url('drawResults', { ref: e.s.reference }, 'en');
      const before = await request(cached.app).get(page).expect(200);
      expect(before.text).toContain('The selected supplier chose not to be named.');
      expect(cached.deps.pageCache.size).toBe(1);
      await chooseToBeNamed(winner!, true);
      await vi.waitFor(() => expect(cached.deps.pageCache.size).toBe(0));
      const after = await request(cached.app).get(page).expect(200);
      expect(after.text).toContain('The contract was awarded to Cassandra Cached.');
      // A save that changes nothing a public page shows, or a newcomer's profile, keeps the
      // cache: anyone can sign up, and the cache must not be emptied at will.
      await chooseToBeNamed(winner!, true);
      const [newcomer] = await database
        .db('users')
        .insert({ email: 'newcomer@example.com', kind: 'supplier', created_at: t.clock.now() })
        .returning('id');
      await database.db('supplier_profiles').insert({ user_id: newcomer.id });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(cached.deps.pageCache.size).toBe(1);
    } finally {
      await listener.close();
    }
  });
});

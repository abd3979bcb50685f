import { parse } from 'node-html-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertPerson, signIn } from '../helpers/people.ts';
import {
  anEvaluatedOpportunity,
  contractsOf,
  emailsTo,
  SUPPLIER_PASSWORD,
  theDraw,
} from '../helpers/offers-world.ts';

let database: TestDatabase;
let t: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
});

afterAll(async () => {
  await database.drop();
});

const termsIdOn = (html: string) =>
  parse(html).querySelector('input[name="terms"]')?.getAttribute('value');

describe('the terms (issue 11, item 8)', () => {
  it('records the version, the time and the language accepted, and awards the opportunity', async () => {
    // Whoever is drawn (one prefers French, one English) reads and accepts on the French page.
    const e = await anEvaluatedOpportunity(t, [{ passes: true, language: 'fr' }, { passes: true }]);
    const [winner] = await theDraw(t, e);
    const [offer] = await contractsOf(t, e.s.id);
    const browser = await signIn(t.app, winner!.email, SUPPLIER_PASSWORD, 'fr');
    const page = url('offer', { id: offer.id }, 'fr');
    const shown = await browser.client.get(page);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('Modalités du contrat, version 1');
    expect(shown.text).toContain('licence de source ouverte');
    // The web feedback form after the outcome (its own page stores it).
    expect(shown.text).toContain(url('feedback', { ref: e.s.reference }, 'fr'));

    // The box not ticked: the page comes back in French, nothing accepted.
    const unticked = await browser.post(
      url('acceptOffer', { id: offer.id }, 'fr'),
      { version: String(offer.version), terms: termsIdOn(shown.text)! },
      page,
    );
    expect(unticked.status).toBe(400);
    expect(unticked.text).toContain('Cochez la case pour confirmer');
    expect(await database.db('terms_acceptances')).toEqual([]);

    t.clock.set(new Date(t.clock.now().getTime() + 3_600_000));
    const accepted = await browser.post(
      url('acceptOffer', { id: offer.id }, 'fr'),
      { version: String(offer.version), terms: termsIdOn(shown.text)!, agree: 'yes' },
      page,
    );
    expect(accepted.status).toBe(303);
    // A second click sends the same form again: refused, one acceptance kept.
    const again = await browser.client
      .post(url('acceptOffer', { id: offer.id }, 'fr'))
      .type('form')
      .send({
        version: String(offer.version),
        terms: termsIdOn(shown.text)!,
        agree: 'yes',
        _csrf: await browser.csrf(url('account', {}, 'fr')),
      });
    expect(again.status).toBe(409);
    expect(await database.db('terms_acceptances')).toHaveLength(1);
    const [acceptance] = await database
      .db('terms_acceptances as a')
      .join('terms_versions as v', 'v.id', 'a.terms_version_id')
      .select('a.contract_id', 'v.number', 'a.language', 'a.accepted_at', 'a.supplier_id');
    expect(acceptance).toEqual({
      contract_id: offer.id,
      number: 1,
      language: 'fr',
      accepted_at: t.clock.now(),
      supplier_id: winner!.userId,
    });
    expect((await contractsOf(t, e.s.id)).map((c) => c.status)).toEqual(['in_progress']);
    const o = await database.db('opportunities').where({ id: e.s.id }).first('status');
    expect(o.status).toBe('awarded');
    const award = await database
      .db('events')
      .where({ entity_type: 'opportunity', entity_id: e.s.id, action: 'award' })
      .first('actor_id', 'from_state', 'to_state');
    expect(award).toEqual({ actor_id: null, from_state: 'drawn', to_state: 'awarded' });
    const [kickOff] = await emailsTo(t, winner!.email, 'offer-accepted');
    expect(kickOff).toMatchObject({ language: winner!.language, data: { termsVersion: 1 } });
    const requester = await database.db('users').where({ id: e.s.people.requester }).first('email');
    expect(await emailsTo(t, requester.email, 'offer-awarded')).toHaveLength(1);
    const after = await browser.client.get(page);
    expect(after.text).toContain('Vous avez accepté la version 1 des modalités');
    for (const m of [kickOff!, ...(await emailsTo(t, requester.email, 'offer-awarded'))]) {
      const email = t.deps.emailRenderer.render(m.template as never, m.language as never, m.data);
      expect(email.text).not.toContain('undefined');
    }
    expect(t.missingKeys).toEqual([]);
  });

  it('keeps each acceptance on its version when an administrator publishes a new one', async () => {
    const e = await anEvaluatedOpportunity(t, [{ passes: true }, { passes: true }]);
    const [first, second] = await theDraw(t, e);
    const [offer] = await contractsOf(t, e.s.id);
    const browser = await signIn(t.app, first!.email, SUPPLIER_PASSWORD);
    const page = url('offer', { id: offer.id }, 'en');
    const read = termsIdOn((await browser.client.get(page)).text)!;

    // While the supplier reads version 1, the platform's administrator publishes version 2.
    await insertPerson(database.db, {
      email: 'platform.admin@terms.example.ca',
      password: 'terms admin passphrase',
      confirmedAt: t.clock.now(),
      grants: [{ role: 'platform_admin', department: null }],
    });
    const admin = await signIn(t.app, 'platform.admin@terms.example.ca', 'terms admin passphrase');
    const published = await admin.post(url('adminTerms', {}, 'en'), {
      body_en: '1. Version two. The Supplier licenses the work under the opportunity licence.',
      body_fr: '1. Version deux. Le Fournisseur accorde la licence de l’occasion sur les travaux.',
    });
    expect(published.status).toBe(303);
    expect(published.headers.location).toBe(`${url('adminTerms', {}, 'en')}?published=2`);
    const publishing = await database
      .db('events')
      .where({ entity_type: 'terms_version', action: 'publish_terms' })
      .first('payload');
    expect(publishing.payload).toEqual({ number: 2 });

    // Accepting what was read, version 1, is refused: the page shows version 2 to accept.
    const stale = await browser.post(
      url('acceptOffer', { id: offer.id }, 'en'),
      { version: String(offer.version), terms: read, agree: 'yes' },
      page,
    );
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('The terms changed while you were reading them');
    expect(stale.text).toContain('Terms of the contract, version 2');
    const accepted = await browser.post(
      url('acceptOffer', { id: offer.id }, 'en'),
      { version: String(offer.version), terms: termsIdOn(stale.text)!, agree: 'yes' },
      page,
    );
    expect(accepted.status).toBe(303);
    const numbers = await database
      .db('terms_acceptances as a')
      .join('terms_versions as v', 'v.id', 'a.terms_version_id')
      .orderBy('a.id')
      .pluck('v.number');
    // The first test's acceptance keeps version 1; this one is on version 2.
    expect(numbers).toEqual([1, 2]);
    expect(second).toBeDefined();
  });

  it('refuses an acceptance after the time to answer, before the lapse job has run', async () => {
    const e = await anEvaluatedOpportunity(t, [{ passes: true }]);
    const [only] = await theDraw(t, e);
    const [offer] = await contractsOf(t, e.s.id);
    const early = await signIn(t.app, only!.email, SUPPLIER_PASSWORD);
    const page = url('offer', { id: offer.id }, 'en');
    const terms = termsIdOn((await early.client.get(page)).text)!;
    // Days later (a new session: the old one has expired), the form read then is sent.
    t.clock.set(new Date(new Date(offer.respond_by).getTime() + 1000));
    const browser = await signIn(t.app, only!.email, SUPPLIER_PASSWORD);
    const late = await browser.client
      .post(url('acceptOffer', { id: offer.id }, 'en'))
      .type('form')
      .send({
        version: String(offer.version),
        terms,
        agree: 'yes',
        _csrf: await browser.csrf(url('account', {}, 'en')),
      });
    expect(late.status).toBe(409);
    expect(late.text).toContain('The time to accept this offer has passed');
    expect((await contractsOf(t, e.s.id)).map((c) => c.status)).toEqual(['offered']);
  });
});

import { parse } from 'node-html-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { mailingListWorld } from '../helpers/mailing-list.ts';
import { insertPerson, signIn, type SignedIn } from '../helpers/people.ts';
import { startTestMailbox, type TestMailbox } from '../helpers/smtp.ts';

const w = {} as { database: TestDatabase; mailbox: TestMailbox; t: TestApp };
let ml: ReturnType<typeof mailingListWorld>;
const PASSWORD = 'profile mailing list passphrase';

beforeAll(async () => {
  w.database = await createTestDatabase();
  w.mailbox = await startTestMailbox();
  w.t = await createTestApp(w.database.db);
  ml = mailingListWorld(w);
});

afterAll(async () => {
  await w.mailbox.close();
  await w.database.drop();
});

async function supplier(email: string): Promise<SignedIn> {
  await insertPerson(w.database.db, {
    email,
    password: PASSWORD,
    kind: 'supplier',
    language: 'fr',
    confirmedAt: w.t.clock.now(),
  });
  return signIn(w.t.app, email, PASSWORD, 'fr');
}

const section = async (a: SignedIn) =>
  parse((await a.client.get('/fr/compte/profil').expect(200)).text).querySelector('#mailing-list');

const consents = (email: string) =>
  w.database
    .db('subscription_consents as c')
    .join('subscribers as s', 's.id', 'c.subscriber_id')
    .whereRaw('lower(s.email) = lower(?)', [email])
    .orderBy('c.id')
    .select('c.kind', 'c.method', 'c.wording_version');

describe('the mailing list in a supplier’s profile', () => {
  it('subscribes the account’s address without a link, only with the consent box ticked, and unsubscribes it', async () => {
    const a = await supplier('ada@example.com');
    const before = await section(a);
    expect(before?.textContent).toContain('ne figure pas sur la liste de diffusion');
    expect(before?.querySelector('input#ml-consent')?.hasAttribute('checked')).toBe(false);
    expect(before?.querySelector('input#ml-email')).toBeNull();

    const refused = await a.post(
      '/fr/compte/liste-de-diffusion',
      { action: 'save', language: 'en', consentVersion: '1' },
      '/fr/compte/profil',
    );
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Vous devez cocher la case pour continuer.');
    expect(parse(refused.text).querySelector('input#ml-language-en')?.hasAttribute('checked')).toBe(
      true,
    );
    const unknownWording = await a.post(
      '/fr/compte/liste-de-diffusion',
      { action: 'save', language: 'en', consentVersion: '99', consent: 'yes' },
      '/fr/compte/profil',
    );
    expect(unknownWording.status).toBe(400);
    expect(unknownWording.text).toContain('Le libellé du consentement a changé.');
    expect(await ml.subscriberRow('ada@example.com')).toBeUndefined();

    const saved = await a.post(
      '/fr/compte/liste-de-diffusion',
      { action: 'save', language: 'en', consentVersion: '1', consent: 'yes' },
      '/fr/compte/profil',
    );
    expect(saved.status).toBe(303);
    const row = await ml.subscriberRow('ada@example.com');
    expect([row.language, row.confirmed_at, row.unsubscribed_at]).toEqual([
      'en',
      w.t.clock.now(),
      null,
    ]);
    expect((await section(a))?.textContent).toContain('figure sur la liste de diffusion');

    const left = await a.post(
      '/fr/compte/liste-de-diffusion',
      { action: 'unsubscribe' },
      '/fr/compte/profil',
    );
    expect(left.status).toBe(303);
    expect((await ml.subscriberRow('ada@example.com')).unsubscribed_at).toEqual(w.t.clock.now());
    expect(await consents('ada@example.com')).toEqual([
      { kind: 'given', method: 'profile', wording_version: 1 },
      { kind: 'withdrawn', method: 'profile', wording_version: null },
    ]);
  });

  it('shows and changes the same subscription the public form made for the account’s address', async () => {
    await ml.confirmedSubscriber('grace@example.com', 'fr');
    const a = await supplier('Grace@Example.com');
    expect((await section(a))?.textContent).toContain('figure sur la liste de diffusion');
    await a.post(
      '/fr/compte/liste-de-diffusion',
      { action: 'save', language: 'en', consentVersion: '1', consent: 'yes' },
      '/fr/compte/profil',
    );
    const rows = await w.database.db('subscribers').whereRaw("lower(email) = 'grace@example.com'");
    expect(rows.map((r) => r.language)).toEqual(['en']);
    expect((await consents('grace@example.com')).map((c) => c.method)).toEqual(['form', 'profile']);
  });
});

describe('the mailing list for a signed-in person', () => {
  it('takes the home page’s small form in one step, and the unsubscribe page’s button with the session’s token', async () => {
    const a = await supplier('hedy@example.com');
    const home = (await a.client.get('/fr').expect(200)).text;
    expect(home).toContain('section class="mailing-list"');
    const sent = await a.post(
      '/fr/liste-de-diffusion',
      { email: 'hedy@example.com', language: 'fr', consentVersion: '1', consent: 'yes' },
      '/fr',
    );
    expect(sent.status).toBe(303);
    const link = ml.linkIn(await ml.newestTo('hedy@example.com'), 'confirmSubscription', 'fr');
    expect((await a.post(link, {})).status).toBe(200);

    // On the list: a second subscription brings the unsubscribe link.
    await ml.subscribe('hedy@example.com', 'fr');
    const unsubscribe = ml.linkIn(await ml.newestTo('hedy@example.com'), 'unsubscribe', 'fr');
    const forged = await a.client.post(unsubscribe).type('form').send({ _csrf: 'forged' });
    expect(forged.text).toContain('Sélectionnez le bouton');
    expect((await ml.subscriberRow('hedy@example.com')).unsubscribed_at).toBeNull();
    const res = await a.post(unsubscribe, {});
    expect(res.text).toContain('Vous êtes désabonné ou désabonnée');
    expect((await consents('hedy@example.com')).map((c) => [c.kind, c.method])).toEqual([
      ['given', 'form'],
      ['withdrawn', 'unsubscribe_page'],
    ]);
  });
});

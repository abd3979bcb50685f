import { createHash } from 'node:crypto';
import { parse } from 'node-html-parser';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { mailingListWorld } from '../helpers/mailing-list.ts';
import { aPublishedOpportunity } from '../helpers/scenarios.ts';
import { agent } from '../helpers/session.ts';
import { startTestMailbox, type TestMailbox } from '../helpers/smtp.ts';

const w = {} as { database: TestDatabase; mailbox: TestMailbox; t: TestApp };
let ml: ReturnType<typeof mailingListWorld>;

beforeAll(async () => {
  w.database = await createTestDatabase();
  w.mailbox = await startTestMailbox();
  w.t = await createTestApp(w.database.db);
  ml = mailingListWorld(w);
});

// Each test starts past the forms' rate limits (10 a quarter-hour from one address).
beforeEach(() => {
  w.t.clock.set(new Date(w.t.clock.now().getTime() + 16 * 60 * 1000));
});

afterAll(async () => {
  await w.mailbox.close();
  await w.database.drop();
});

/** A page without the token of its own address (the language toggle links to it). */
const withoutToken = (text: string) => text.replaceAll(/[\w-]{43}/g, 'TOKEN');

const consents = (email: string) =>
  w.database
    .db('subscription_consents as c')
    .join('subscribers as s', 's.id', 'c.subscriber_id')
    .whereRaw('lower(s.email) = lower(?)', [email])
    .orderBy('c.id')
    .select('c.kind', 'c.method', 'c.wording_version', 'c.at', 'c.requested_at');

describe('subscribing (double opt-in)', () => {
  it('shows the consent box unticked with the versioned wording, sends the link in the chosen language, and confirms only by the button', async () => {
    const page = parse((await request(w.t.app).get('/fr/liste-de-diffusion').expect(200)).text);
    const box = page.querySelector('input#ml-consent');
    expect(box?.getAttribute('type')).toBe('checkbox');
    expect(box?.hasAttribute('checked')).toBe(false);
    expect(page.querySelector('input[name="consentVersion"]')?.getAttribute('value')).toBe('1');
    expect(page.querySelector('label[for="ml-consent"]')?.textContent).toContain(
      'J’accepte de recevoir des courriels de Micro-acquisitions',
    );

    const res = await ml.subscribe('Lea@Example.com', 'fr');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/fr/liste-de-diffusion/verifiez-vos-courriels');
    const mail = await ml.newestTo('lea@example.com');
    // French, or French first where the other language follows.
    expect(mail.subject).toMatch(/^Confirmez votre abonnement à la liste de diffusion/);
    const [fr, en] = ['Confirmer mon abonnement', 'Confirm my subscription'].map((text) =>
      mail.text!.indexOf(text),
    );
    expect(fr).toBeGreaterThanOrEqual(0);
    expect(en === -1 || fr! < en!).toBe(true);
    const link = ml.linkIn(mail, 'confirmSubscription', 'fr');
    // Only the hash is kept.
    const token = link.split('/').at(-1)!;
    const [stored] = await w.database.db('subscription_tokens').where({ purpose: 'confirm' });
    expect(stored.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(stored)).not.toContain(token);

    // A mail scanner reads the link: nothing is confirmed.
    for (let i = 0; i < 2; i += 1) {
      const shown = await request(w.t.app).get(link).expect(200);
      expect(shown.text).toContain('Confirmer mon abonnement');
    }
    expect((await ml.subscriberRow('lea@example.com')).confirmed_at).toBeNull();

    const visitor = agent(w.t.app);
    const confirmed = await visitor.post(link, {});
    expect(confirmed.status).toBe(200);
    expect(confirmed.text).toContain('Votre abonnement est confirmé');
    const row = await ml.subscriberRow('lea@example.com');
    expect(row.confirmed_at).toEqual(w.t.clock.now());
    expect(row.language).toBe('fr');
    expect(await consents('lea@example.com')).toEqual([
      {
        kind: 'given',
        method: 'form',
        wording_version: 1,
        at: w.t.clock.now(),
        requested_at: w.t.clock.now(),
      },
    ]);
    // Single use.
    const again = await visitor.client.post(link).type('form').send({ _csrf: 'x' });
    expect(again.status).toBe(403);
    expect((await visitor.post(link, {}, '/fr/liste-de-diffusion')).status).toBe(400);
  });

  it('requires the consent box and a well-formed address, with the message in the page’s language and the form back as typed', async () => {
    const before = await w.database.db('outbox').count({ n: '*' }).first();
    const unticked = await ml.subscribe('sam@example.com', 'fr', { consent: '' });
    expect(unticked.status).toBe(400);
    const form = parse(unticked.text);
    expect(form.querySelector('.error-summary')?.textContent).toContain(
      'Vous devez cocher la case pour continuer.',
    );
    expect(form.querySelector('input#ml-email')?.getAttribute('value')).toBe('sam@example.com');

    const malformed = await ml.subscribe('pas une adresse', 'en', { interests: ['TypeScript'] });
    expect(malformed.status).toBe(400);
    expect(malformed.text).toContain('Enter a valid email address');
    expect(parse(malformed.text).querySelector('input#ml-email')?.getAttribute('value')).toBe(
      'pas une adresse',
    );
    expect(await w.database.db('outbox').count({ n: '*' }).first()).toEqual(before);
    expect(await ml.subscriberRow('sam@example.com')).toBeUndefined();
  });

  it('answers a second subscription, a known or an unknown address, with the same page; the one on the list is told it already is', async () => {
    await ml.confirmedSubscriber('known@example.com', 'en');
    const known = await ml.subscribe('known@example.com', 'fr');
    const unknown = await ml.subscribe('unknown@example.com', 'fr');
    expect([known.status, known.headers.location]).toEqual([
      unknown.status,
      unknown.headers.location,
    ]);
    const page = (path: string) => request(w.t.app).get(path).expect(200);
    expect((await page(known.headers.location!)).text).toBe(
      (await page(unknown.headers.location!)).text,
    );

    const already = await ml.newestTo('known@example.com');
    expect(already.subject).toMatch(/^You are already on the mailing list/);
    expect(ml.header(already, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect((await ml.subscriberRow('known@example.com')).language).toBe('en');
    // Its link applies the choices made on the form, once the owner agrees.
    const link = ml.linkIn(already, 'confirmSubscription', 'en');
    expect((await agent(w.t.app).post(link, {})).status).toBe(200);
    expect((await ml.subscriberRow('known@example.com')).language).toBe('fr');
    expect(ml.messagesTo('unknown@example.com')[0]?.subject).toMatch(/^Confirmez votre abonnement/);
  });

  it('refuses a forged or an expired link with the same page, in the page’s language', async () => {
    await ml.subscribe('late@example.com', 'en');
    const link = ml.linkIn(await ml.newestTo('late@example.com'), 'confirmSubscription', 'fr');
    const forged = `/fr/liste-de-diffusion/confirmer/${'A'.repeat(43)}`;
    const bad = await request(w.t.app).get(forged);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Ce lien ne fonctionne pas');
    const start = w.t.clock.now();
    w.t.clock.set(new Date(start.getTime() + 7 * 24 * 60 * 60 * 1000));
    try {
      const expired = await request(w.t.app).get(link);
      expect([expired.status, withoutToken(expired.text)]).toEqual([400, withoutToken(bad.text)]);
      const visitor = agent(w.t.app);
      const posted = await visitor.post(link, {}, '/fr/liste-de-diffusion');
      const postedForged = await visitor.post(forged, {}, '/fr/liste-de-diffusion');
      expect(posted.status).toBe(400);
      expect(withoutToken(posted.text)).toBe(withoutToken(postedForged.text));
      expect((await ml.subscriberRow('late@example.com')).confirmed_at).toBeNull();
    } finally {
      w.t.clock.set(start);
    }
  });

  it('takes the small form of a cached page (no token) to the subscribe page filled in, and sends nothing until it is sent from there', async () => {
    const home = parse((await request(w.t.app).get('/en').expect(200)).text);
    const teaser = home.querySelector('section.mailing-list form');
    expect(teaser?.getAttribute('action')).toBe('/en/mailing-list');
    expect(teaser?.querySelector('input#ml-consent')?.hasAttribute('checked')).toBe(false);
    const before = await w.database.db('outbox').count({ n: '*' }).first();
    const visitor = agent(w.t.app);
    const res = await visitor.client.post('/en/mailing-list').type('form').send({
      _csrf: '',
      email: 'teaser@example.com',
      language: 'en',
      consentVersion: '1',
      consent: 'yes',
    });
    expect(res.status).toBe(200);
    const again = parse(res.text);
    expect(again.querySelector('.notice')?.textContent).toContain('select Subscribe to finish');
    expect(again.querySelector('input#ml-email')?.getAttribute('value')).toBe('teaser@example.com');
    expect(again.querySelector('input#ml-consent')?.hasAttribute('checked')).toBe(true);
    expect(await w.database.db('outbox').count({ n: '*' }).first()).toEqual(before);
    expect(await ml.subscriberRow('teaser@example.com')).toBeUndefined();
    const sent = await ml.subscribe('teaser@example.com', 'en', {}, visitor);
    expect(sent.status).toBe(303);
  });
});

describe('announcements and unsubscribing', () => {
  it('announces an opening to confirmed subscribers whose interests match, each with a one-click unsubscribe link and both headers', async () => {
    await ml.confirmedSubscriber('all@example.com', 'en');
    await ml.confirmedSubscriber('a11y@example.com', 'fr', ['Accessibilité']);
    await ml.confirmedSubscriber('cobol@example.com', 'en', ['COBOL']);
    await ml.subscribe('pending@example.com', 'en');
    const { reference } = await aPublishedOpportunity(w.t, { titleEn: 'Announce me' });
    await ml.deliver();
    const announced = (email: string) =>
      ml.messagesTo(email).filter((m) => m.text?.includes(reference));
    expect(announced('cobol@example.com')).toHaveLength(0);
    expect(announced('pending@example.com')).toHaveLength(0);
    expect(announced('all@example.com')).toHaveLength(1);
    const [mail] = announced('a11y@example.com');
    expect(mail?.subject).toMatch(/^Nouvelle occasion/);
    // The language the subscriber chose, alone.
    expect(mail?.subject).not.toContain('New opportunity');
    expect(mail?.text).not.toContain('A new opportunity is open');

    const link = ml.linkIn(mail!, 'unsubscribe', 'fr');
    expect(ml.header(mail!, 'list-unsubscribe')).toBe(`<${w.t.deps.config.PUBLIC_URL}${link}>`);
    expect(ml.header(mail!, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(mail!.html).toContain(`${w.t.deps.config.PUBLIC_URL}${link}`);

    // As a mail provider posts it (RFC 8058): no cookie, no CSRF token, only the link's token.
    const oneClick = (path: string) =>
      request(w.t.app).post(path).type('form').send('List-Unsubscribe=One-Click');
    const forged = await oneClick(`/fr/liste-de-diffusion/desabonnement/${'B'.repeat(43)}`);
    expect(forged.status).toBe(200);
    expect((await ml.subscriberRow('a11y@example.com')).unsubscribed_at).toBeNull();
    // Without the one-click body and without a CSRF token, the page's button is shown again.
    const plain = await request(w.t.app).post(link).type('form').send({});
    expect(plain.text).toContain('Se désabonner');
    expect((await ml.subscriberRow('a11y@example.com')).unsubscribed_at).toBeNull();

    const done = await oneClick(link);
    expect(done.status).toBe(200);
    expect(withoutToken(done.text)).toBe(withoutToken(forged.text));
    expect(done.text).toContain('Vous êtes désabonné ou désabonnée');
    expect((await ml.subscriberRow('a11y@example.com')).unsubscribed_at).toEqual(w.t.clock.now());
    expect((await consents('a11y@example.com')).map((c) => [c.kind, c.method])).toEqual([
      ['given', 'form'],
      ['withdrawn', 'one_click'],
    ]);

    // The other encoding RFC 8058 allows.
    const [other] = announced('all@example.com');
    const multipart = await request(w.t.app)
      .post(ml.linkIn(other!, 'unsubscribe', 'en'))
      .field('List-Unsubscribe', 'One-Click');
    expect(multipart.status).toBe(200);
    expect((await ml.subscriberRow('all@example.com')).unsubscribed_at).toEqual(w.t.clock.now());
  });

  it('sends an unsubscribed address none of the announcements still queued for it', async () => {
    await ml.confirmedSubscriber('leaving@example.com', 'en');
    await ml.confirmedSubscriber('staying@example.com', 'en');
    const first = await aPublishedOpportunity(w.t, {});
    const opensAt = new Date(w.t.clock.now().getTime() + 2 * 24 * 60 * 60 * 1000);
    const later = [
      await aPublishedOpportunity(w.t, { opensAt }),
      await aPublishedOpportunity(w.t, { opensAt }),
    ];
    const mail = await ml.newestTo('leaving@example.com');
    expect(mail.text).toContain(first.reference);
    const queued = () =>
      w.database
        .db('outbox')
        .where({ template: 'new-opportunity', recipient: 'leaving@example.com' });
    expect((await queued()).filter((row) => row.status === 'pending')).toHaveLength(2);

    // The page's button, with its CSRF token.
    const link = ml.linkIn(mail, 'unsubscribe', 'en');
    const visitor = agent(w.t.app);
    expect((await visitor.client.get(link).expect(200)).text).toContain('Unsubscribe');
    const res = await visitor.post(link, {});
    expect(res.status).toBe(200);
    expect(res.text).toContain('You are unsubscribed');

    const start = w.t.clock.now();
    w.t.clock.set(opensAt);
    try {
      await ml.deliver();
    } finally {
      w.t.clock.set(start);
    }
    const refs = (email: string) =>
      later.filter((o) => ml.messagesTo(email).some((m) => m.text?.includes(o.reference)));
    expect(refs('leaving@example.com')).toHaveLength(0);
    expect(refs('staying@example.com')).toHaveLength(2);
    expect((await queued()).map((row) => row.status).sort()).toEqual([
      'sent',
      'withdrawn',
      'withdrawn',
    ]);
  });
});

describe('the mailing list’s pages', () => {
  it('exist in both languages, with the small form on every opportunity page, and no missing key', async () => {
    const { reference } = await aPublishedOpportunity(w.t, {});
    for (const path of [`/en/opportunities/${reference}`, `/fr/occasions/${reference}`, '/fr']) {
      const page = parse((await request(w.t.app).get(path).expect(200)).text);
      const teaser = page.querySelector('section.mailing-list form');
      expect(teaser?.getAttribute('action'), path).toBe(
        path.startsWith('/fr') ? '/fr/liste-de-diffusion' : '/en/mailing-list',
      );
      // The skills the opportunities ask for, as interests.
      expect(teaser?.querySelectorAll('input[name="interests"]').length, path).toBeGreaterThan(0);
    }
    const token = 'C'.repeat(43);
    for (const path of [
      '/en/mailing-list',
      '/fr/liste-de-diffusion/verifiez-vos-courriels',
      `/en/mailing-list/unsubscribe/${token}`,
      `/fr/liste-de-diffusion/desabonnement/${token}`,
    ]) {
      await request(w.t.app).get(path).expect(200);
    }
    expect(w.t.missingKeys).toEqual([]);
  });
});

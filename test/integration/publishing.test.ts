import { describe, expect, it } from 'vitest';
import { TEST_NOW } from '../helpers/app.ts';
import { errorSummary, fieldValue } from '../helpers/pages.ts';
import { signIn, type SignedIn } from '../helpers/people.ts';
import { aReadyRequest } from '../helpers/scenarios.ts';
import { agent } from '../helpers/session.ts';
import { PASSWORD, publishPath, translationWorld } from '../helpers/translation-world.ts';

/** Publishing a ready request: the window, section 32, the announcement to subscribers. */
const w = translationWorld();
const { ids, row, eventsOf, outbox } = w;
const ready = () => aReadyRequest(w.t, { requester: ids.client });

describe('publishing', () => {
  async function publishForm(a: SignedIn, reference: string) {
    const html = (await a.client.get(publishPath(reference)).expect(200)).text;
    const form: Record<string, string> = {};
    for (const name of ['version', 'openingDate', 'openingTime', 'closingDate', 'closingTime']) {
      form[name] = fieldValue(html, name) ?? '';
    }
    return { html, form };
  }

  it('is refused without a section 32 fund reservation, with the message', async () => {
    const { id, reference } = await ready();
    // No action reaches 'ready' without section 32 (approving the funds records the
    // reservation), so the reservation is removed by hand: the guard must still refuse.
    await w.database.db('fund_reservations').where({ opportunity_id: id }).delete();
    const officer = w.signedInAs['officer@esdc']!;
    const { html, form } = await publishForm(officer, reference);
    expect(html).toContain('None: the opportunity cannot be published without');
    const res = await officer.post(publishPath(reference), form);
    expect(res.status).toBe(409);
    expect(errorSummary(res.text)).toContain(
      'There is no section 32 fund reservation for this opportunity: it cannot be published.',
    );
    const after = await row(id);
    expect(after.status).toBe('ready');
    expect(after.closes_at).toBeNull();
  });

  it('closes by default at 14:00 Eastern 10 business days later, skipping the holidays, and announces it to confirmed subscribers', async () => {
    const { id, reference } = await ready();
    const subscriber = async (email: string, confirmed: boolean, unsubscribed = false) =>
      (
        await w.database
          .db('subscribers')
          .insert({
            email,
            language: email.startsWith('fr') ? 'fr' : 'en',
            unsubscribe_token: `token-${email}`,
            created_at: TEST_NOW,
            confirmed_at: confirmed ? TEST_NOW : null,
            unsubscribed_at: unsubscribed ? TEST_NOW : null,
          })
          .returning('id')
      )[0].id as number;
    const confirmedEn = await subscriber('en.reader@example.com', true);
    const confirmedFr = await subscriber('fr.lecteur@example.com', true);
    await subscriber('unconfirmed@example.com', false);
    await subscriber('gone@example.com', true, true);

    w.t.clock.set('2026-12-18T15:00:00Z');
    try {
      const officer = await signIn(w.t.app, 'officer@esdc.example.ca', PASSWORD);
      const { html, form } = await publishForm(officer, reference);
      expect(html).toContain('Number FR-');
      expect(form).toMatchObject({
        openingDate: '2026-12-18',
        openingTime: '10:00',
        // Dec 25, Boxing Day (observed Monday Dec 28) and Jan 1 are not business days.
        closingDate: '2027-01-06',
        closingTime: '14:00',
      });
      const res = await officer.post(publishPath(reference), form);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/en/opportunities/${reference}`);

      const published = await row(id);
      expect(published.status).toBe('published');
      expect(published.opens_at).toEqual(new Date('2026-12-18T15:00:00Z'));
      expect(published.closes_at).toEqual(new Date('2027-01-06T19:00:00Z'));
      expect(await eventsOf(id, 'publish')).toHaveLength(1);

      const notice = await outbox('opportunity-published');
      expect(notice.map((e) => e.recipient)).toEqual(['client@esdc.example.ca']);
      expect((notice[0]!.data as { link: { en: string } }).link.en).toBe(
        `/en/opportunities/${reference}`,
      );
      const announcements = await outbox('new-opportunity');
      expect(announcements.map((e) => e.recipient).sort()).toEqual([
        'en.reader@example.com',
        'fr.lecteur@example.com',
      ]);
      expect(announcements.map((e) => e.idempotency_key).sort()).toEqual(
        [`new-opportunity:${id}:${confirmedEn}`, `new-opportunity:${id}:${confirmedFr}`].sort(),
      );
      const french = announcements.find((e) => e.recipient.startsWith('fr'))!;
      expect(french.language).toBe('fr');
      const rendered = w.t.deps.emailRenderer.render('new-opportunity', 'fr', french.data);
      expect(rendered.text).toContain('6 janvier 2027 à 14\u00a0h (heure de l’Est)');
      expect(rendered.text).toContain(`/fr/occasions/${reference}`);

      const publicPage = await agent(w.t.app).client.get(`/en/opportunities/${reference}`);
      expect(publicPage.status).toBe(200);
    } finally {
      w.t.clock.set(TEST_NOW);
    }
  });

  it('uses the default closing when both closing fields are left empty', async () => {
    const { id, reference } = await ready();
    const officer = w.signedInAs['officer@esdc']!;
    const { form } = await publishForm(officer, reference);
    const res = await officer.post(publishPath(reference), {
      ...form,
      openingDate: '2026-11-24',
      openingTime: '09:00',
      closingDate: '',
      closingTime: '',
    });
    expect(res.status).toBe(303);
    // Tuesday Nov 24 + 10 business days = Tuesday Dec 8, 14:00 EST.
    expect((await row(id)).closes_at).toEqual(new Date('2026-12-08T19:00:00Z'));
  });

  it('opens later when asked: hidden from the public and announced to subscribers only from the opening', async () => {
    const { reference } = await ready();
    await w.database.db('subscribers').insert({
      email: 'later.reader@example.com',
      language: 'en',
      unsubscribe_token: 'token-later',
      created_at: TEST_NOW,
      confirmed_at: TEST_NOW,
    });
    const officer = w.signedInAs['officer@esdc']!;
    const { form } = await publishForm(officer, reference);
    const res = await officer.post(publishPath(reference), {
      ...form,
      openingDate: '2026-11-24',
      openingTime: '09:00',
      closingDate: '',
      closingTime: '',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/en/requests/${reference}?done=scheduled`);
    const notice = await officer.client.get(res.headers.location!).expect(200);
    expect(notice.text).toContain('will open to the public at the opening time you set');

    const visitor = agent(w.t.app).client;
    await visitor.get(`/en/opportunities/${reference}`).expect(404);
    expect((await visitor.get('/en/opportunities').expect(200)).text).not.toContain(reference);
    const [announcement] = await w.database
      .db('outbox')
      .where({ template: 'new-opportunity', recipient: 'later.reader@example.com' });
    expect(announcement.next_attempt_at).toEqual(new Date('2026-11-24T14:00:00Z'));

    w.t.clock.set('2026-11-24T14:00:00Z');
    try {
      await visitor.get(`/en/opportunities/${reference}`).expect(200);
      expect((await visitor.get('/en/opportunities').expect(200)).text).toContain(reference);
    } finally {
      w.t.clock.set(TEST_NOW);
    }
  });

  it('withdraws the waiting announcement when an opportunity is cancelled before it opens', async () => {
    const { id, reference } = await ready();
    const officer = w.signedInAs['officer@esdc']!;
    const { form } = await publishForm(officer, reference);
    await officer.post(publishPath(reference), {
      ...form,
      openingDate: '2026-11-25',
      openingTime: '09:00',
      closingDate: '',
      closingTime: '',
    });
    const waiting = () =>
      w.database
        .db('outbox')
        .where({ template: 'new-opportunity', status: 'pending' })
        .andWhere('idempotency_key', 'like', `new-opportunity:${id}:%`);
    expect((await waiting()).length).toBeGreaterThan(0);
    const cancelPath = `/en/requests/${reference}/cancel`;
    const res = await officer.post(cancelPath, {
      reason: 'The team fixed it themselves before the opening.',
      confirm: 'yes',
      version: String((await row(id)).version),
    });
    expect(res.status).toBe(303);
    expect((await row(id)).status).toBe('cancelled');
    expect(await waiting()).toEqual([]);
  });

  it('refuses a closing before the opening, keeping the values typed', async () => {
    const { id, reference } = await ready();
    const officer = w.signedInAs['officer@esdc']!;
    const { form } = await publishForm(officer, reference);
    const typed = { ...form, closingDate: '2026-11-20', closingTime: '16:45' };
    const res = await officer.post(publishPath(reference), typed);
    expect(res.status).toBe(400);
    expect(errorSummary(res.text)).toContain('The closing must be after the opening.');
    expect(fieldValue(res.text, 'closingDate')).toBe('2026-11-20');
    expect(fieldValue(res.text, 'closingTime')).toBe('16:45');
    expect((await row(id)).status).toBe('ready');
  });

  it('refuses a closing on or after the delivery due date, an opening in the past and nonsense', async () => {
    const { reference } = await ready();
    const officer = w.signedInAs['officer@esdc']!;
    const { form } = await publishForm(officer, reference);
    const late = await officer.post(publishPath(reference), {
      ...form,
      closingDate: '2027-01-29',
      closingTime: '14:00',
    });
    expect(late.status).toBe(400);
    expect(errorSummary(late.text)).toContain(
      'The closing must be before the work delivery date (January 29, 2027).',
    );
    const past = await officer.post(publishPath(reference), {
      ...form,
      openingDate: '2026-11-22',
    });
    expect(errorSummary(past.text)).toContain('The opening cannot be in the past.');
    const nonsense = await officer.post(publishPath(reference), {
      ...form,
      openingDate: '2026-02-30',
      openingTime: '25:00',
    });
    expect(nonsense.status).toBe(400);
    expect(errorSummary(nonsense.text)).toContain('Enter the opening date');
    expect(errorSummary(nonsense.text)).toContain('Enter the opening time');
  });

  it('sends the preview of a published opportunity to its public page', async () => {
    const { reference, previewToken: token } = await ready();
    const officer = w.signedInAs['officer@esdc']!;
    const { form } = await publishForm(officer, reference);
    expect((await officer.post(publishPath(reference), form)).status).toBe(303);
    const res = await agent(w.t.app).client.get(`/en/preview/${token}`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/en/opportunities/${reference}`);
    // Publishing again is refused with a message, not an error page.
    const again = await officer.client.get(publishPath(reference)).expect(200);
    expect(again.text).toContain('This opportunity is published.');
  });

  it('renders every page of the feature in French without a missing key', async () => {
    const { reference } = await ready();
    const officer = w.signedInAs['officer@esdc']!;
    const res = await officer.client
      .get(`/fr/demandes-d-occasion/${reference}/publier`)
      .expect(200);
    expect(res.text).toContain('Publier l’occasion');
    expect(res.text).toContain('Réservation de fonds en vertu de l’article 32');
    expect(w.t.missingKeys).toEqual([]);
  });
});

import { parse } from 'node-html-parser';
import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { closingJobKey } from '../../src/opportunities/closing.ts';
import { listenForContentChanges } from '../../src/platform/content-changes.ts';
import { createTestApp, TEST_NOW } from '../helpers/app.ts';
import {
  ADDENDUM_EN,
  CLOSES_AT,
  expectEveryPageTranslated,
  mainText,
  PAGE_EN,
  PAGE_FR,
  questionsWorld,
} from '../helpers/questions-world.ts';

/** Watching an open opportunity, and the numbered addenda and extensions that tell watchers. */
const w = questionsWorld();
const { ids, outbox, eventsOf, opportunityRow } = w;
const signedIn = (email: string, app?: Parameters<typeof w.signedIn>[1]) => w.signedIn(email, app);
const text = mainText;

/** The addendum form as the program officer gets it: every current text, the version. */
async function addendumValues(a: Awaited<ReturnType<typeof signedIn>>, path = ADDENDUM_EN) {
  const page = await a.client.get(path).expect(200);
  const root = parse(page.text);
  const values: Record<string, string> = {};
  for (const name of [
    'version',
    'title_en',
    'title_fr',
    'summary_en',
    'summary_fr',
    'description_en',
    'description_fr',
  ]) {
    const input = root.querySelector(`[name="${name}"]`);
    values[name] =
      input?.tagName === 'TEXTAREA' ? input.text : (input?.getAttribute('value') ?? '');
  }
  return values;
}

describe('watching', () => {
  it('lets a supplier watch and stop watching an opportunity', async () => {
    const watcher = await signedIn('watcher@example.com');
    const page = await watcher.client.get(PAGE_EN).expect(200);
    expect(text(page.text)).toContain('get an email for each addendum');
    const watched = await watcher.post(`${PAGE_EN}/watch`, { watch: 'yes' }, PAGE_EN);
    expect(watched.status).toBe(303);
    expect(watched.headers.location).toBe(`${PAGE_EN}?done=watching`);
    const shown = await watcher.client.get(watched.headers.location!).expect(200);
    expect(text(shown.text)).toContain('You are watching this opportunity.');
    expect(parse(shown.text).querySelector('input[name="watch"]')?.getAttribute('value')).toBe(
      'no',
    );
    const watchers = () => w.database.db('watchers').where({ opportunity_id: ids.opportunity });
    expect(await watchers()).toHaveLength(1);

    const stopped = await watcher.post(`${PAGE_EN}/watch`, { watch: 'no' }, PAGE_EN);
    expect(stopped.headers.location).toBe(`${PAGE_EN}?done=unwatched`);
    expect(await watchers()).toHaveLength(0);

    await watcher.post(`${PAGE_EN}/watch`, { watch: 'yes' }, PAGE_EN);
    // Twice is the same as once.
    await watcher.post(`${PAGE_EN}/watch`, { watch: 'yes' }, PAGE_EN);
    const supplier = await signedIn('sophie.fournier@example.com');
    await supplier.post(`${PAGE_FR}/suivre`, { watch: 'yes' }, PAGE_FR);
    expect(await watchers()).toHaveLength(2);
  });

  it('does not cache a signed-in supplier’s notice for anonymous visitors', async () => {
    const res = await request(w.t.app).get(`${PAGE_EN}?done=watching`).expect(200);
    expect(res.text).not.toContain('You are watching this opportunity.');
    expect(parse(res.text).querySelector('input[name="watch"]')).toBeNull();
  });
});

describe('addenda', () => {
  it('extends the deadline by 3 days as addendum 1, tells the watchers and shows it publicly', async () => {
    const officer = await signedIn('officer@esdc.example.ca');
    const before = await opportunityRow();
    const values = await addendumValues(officer);
    expect(values.version).toBe(String(before.version));
    expect(values.title_en).toBe(before.title_en);
    expect(values.description_fr).toBe(before.description_fr);

    const res = await officer.post(ADDENDUM_EN, {
      ...values,
      addendum_en: 'The closing date is extended by 3 days.',
      addendum_fr: 'La date de clôture est reportée de 3 jours.',
      closes_on: '2026-12-07',
      closes_time: '14:00',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${ADDENDUM_EN}?published=1`);

    const after = await opportunityRow();
    const NEW_CLOSES = '2026-12-07T19:00:00.000Z';
    expect(after.closes_at.toISOString()).toBe(NEW_CLOSES);
    // Its closing job, scheduled at publishing, moved with it.
    const closing = await w.database
      .db('graphile_worker.jobs')
      .where({ key: closingJobKey(ids.opportunity!) });
    expect(closing.map((job) => job.run_at.toISOString())).toEqual([NEW_CLOSES]);
    expect(after.version).toBe(before.version + 1);
    expect(after.status).toBe('published');
    expect(after.title_en).toBe(before.title_en);
    const [addendum] = await w.database.db('addenda').where({ opportunity_id: ids.opportunity });
    expect(addendum).toMatchObject({
      number: 1,
      summary_en: 'The closing date is extended by 3 days.',
      summary_fr: 'La date de clôture est reportée de 3 jours.',
      changes: ['closes_at'],
      created_by: ids.officer,
    });
    expect(addendum.previous_closes_at.toISOString()).toBe(CLOSES_AT);
    expect(addendum.new_closes_at.toISOString()).toBe(NEW_CLOSES);
    expect(addendum.created_at.toISOString()).toBe(new Date(TEST_NOW).toISOString());

    const events = await eventsOf('addendum');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      entity_id: ids.opportunity,
      actor_id: ids.officer,
      payload: { number: 1, changes: ['closes_at'], closesAt: { from: CLOSES_AT, to: NEW_CLOSES } },
    });

    const emails = await outbox('addendum-published');
    expect(emails.map((e) => [e.recipient, e.language]).sort()).toEqual([
      ['sophie.fournier@example.com', 'fr'],
      ['watcher@example.com', 'en'],
    ]);
    const french = w.t.deps.emailRenderer.render('addendum-published', 'fr', emails[0]!.data);
    expect(french.text).toContain(
      'La date de clôture est maintenant le 7 décembre 2026 à 14\u00a0h',
    );
    expect(french.text).toContain('The closing date is now December 7, 2026 at 2:00 p.m.');
    expect(french.text).toContain('La date de clôture est reportée de 3 jours.');
    expect(french.text).toContain(PAGE_FR);

    const confirmation = await officer.client.get(res.headers.location!).expect(200);
    expect(text(confirmation.text)).toContain('Addendum 1 was published');
    expect(text(confirmation.text)).toContain('Publish addendum 2');

    for (const [path, badge, closing] of [
      [PAGE_EN, 'Updated', 'December 7, 2026 at 2:00 p.m. (Eastern time)'],
      [PAGE_FR, 'Mise à jour', '7 décembre 2026 à 14\u00a0h (heure de l’Est)'],
    ] as const) {
      const page = await request(w.t.app).get(path).expect(200);
      const root = parse(page.text);
      expect(root.querySelector('.tag-updated')?.text).toBe(badge);
      expect(root.querySelector(`.facts time[datetime="${NEW_CLOSES}"]`)?.text).toBe(closing);
      expect(root.querySelector(`.facts time[datetime="${CLOSES_AT}"]`)).toBeNull();
      expect(root.querySelector('.addenda')?.text).toContain(closing);
    }
    const en = await request(w.t.app).get(PAGE_EN).expect(200);
    expect(text(en.text)).toContain(
      'The closing date moved from December 4, 2026 at 2:00 p.m. (Eastern time) to December 7, 2026 at 2:00 p.m. (Eastern time).',
    );
    expect(text(en.text)).toContain('What changed: closing date.');
    // Questions now close 48 hours before the new deadline.
    expect(text(en.text)).toContain('on December 5, 2026 at 2:00 p.m. (Eastern time)');
  });

  it('numbers the next addendum 2 and refuses a form opened before the first as stale', async () => {
    const officer = await signedIn('officer@esdc.example.ca');
    const values = await addendumValues(officer);
    const stale = await officer.post(ADDENDUM_EN, {
      ...values,
      version: String(Number(values.version) - 1),
      title_fr: 'Corriger le validateur de formulaires (titre révisé)',
      addendum_en: 'The French title is clearer.',
      addendum_fr: 'Le titre français est plus clair.',
    });
    expect(stale.status).toBe(409);
    expect(text(stale.text)).toContain(
      'Someone changed this opportunity since you opened the page',
    );
    expect(stale.text).toContain('(titre révisé)');

    const res = await officer.post(ADDENDUM_EN, {
      ...values,
      title_fr: 'Corriger le validateur de formulaires (titre révisé)',
      addendum_en: 'The French title is clearer.',
      addendum_fr: 'Le titre français est plus clair.',
    });
    expect(res.status).toBe(303);
    const addenda = await w.database
      .db('addenda')
      .where({ opportunity_id: ids.opportunity })
      .orderBy('number');
    expect(addenda.map((a) => [a.number, a.changes])).toEqual([
      [1, ['closes_at']],
      [2, ['title_fr']],
    ]);
    expect(addenda[1].new_closes_at).toBeNull();
    expect((await opportunityRow()).title_fr).toBe(
      'Corriger le validateur de formulaires (titre révisé)',
    );
    const fr = await request(w.t.app).get(PAGE_FR).expect(200);
    expect(text(fr.text)).toContain('Éléments modifiés : titre (français).');
    const emails = await outbox('addendum-published');
    expect(emails).toHaveLength(4);
    expect(emails.at(-1)!.data).toMatchObject({ values: { en: { number: 2, extension: '' } } });
  });

  it('refuses an extension earlier than the current deadline, or past the delivery date', async () => {
    const officer = await signedIn('officer@esdc.example.ca');
    const values = await addendumValues(officer);
    const change = { addendum_en: 'Moved.', addendum_fr: 'Déplacée.' };
    const earlier = await officer.post(ADDENDUM_EN, {
      ...values,
      ...change,
      closes_on: '2026-12-05',
      closes_time: '14:00',
    });
    expect(earlier.status).toBe(400);
    expect(text(earlier.text)).toContain(
      'The new closing date must be later than the current one, December 7, 2026 at 2:00 p.m. (Eastern time).',
    );
    expect(parse(earlier.text).querySelector('#closes_on')?.getAttribute('value')).toBe(
      '2026-12-05',
    );
    const afterDelivery = await officer.post(ADDENDUM_EN, {
      ...values,
      ...change,
      closes_on: '2027-01-29',
      closes_time: '09:00',
    });
    expect(afterDelivery.status).toBe(400);
    expect(text(afterDelivery.text)).toContain('before the work delivery date, January 29, 2027');
    const noTime = await officer.post(ADDENDUM_EN, {
      ...values,
      ...change,
      closes_on: '2026-12-10',
    });
    expect(noTime.status).toBe(400);
    expect(text(noTime.text)).toContain('Enter the new closing time');
    // Browsers send the untouched descriptions with CRLF line breaks: still nothing changed.
    const crlf = (value: string) => value.replace(/\n/g, '\r\n');
    const nothing = await officer.post(ADDENDUM_EN, {
      ...values,
      ...change,
      description_en: crlf(values.description_en!),
      description_fr: crlf(values.description_fr!),
    });
    expect(nothing.status).toBe(400);
    expect(text(nothing.text)).toContain('Nothing changed.');
    const noSummary = await officer.post(ADDENDUM_EN, {
      ...values,
      closes_on: '2026-12-10',
      closes_time: '14:00',
    });
    expect(noSummary.status).toBe(400);
    expect(text(noSummary.text)).toContain('Explain in French what changed.');
    expect(await w.database.db('addenda').where({ opportunity_id: ids.opportunity })).toHaveLength(
      2,
    );
    expect((await opportunityRow()).closes_at.toISOString()).toBe('2026-12-07T19:00:00.000Z');
  });

  it('refuses an addendum on a closed opportunity', async () => {
    const officer = await signedIn('officer@esdc.example.ca');
    const path = '/fr/demandes-d-occasion/MA-2026-0002/addenda';
    const page = await officer.client.get(path).expect(200);
    expect(text(page.text)).toContain(
      'Un addenda ne peut être publié que pendant que l’occasion est ouverte',
    );
    expect(parse(page.text).querySelector('form#form')).toBeNull();
    const res = await officer.post(
      path,
      {
        version: '1',
        addendum_en: 'Reopened.',
        addendum_fr: 'Rouverte.',
        title_en: 'Fix the form validator',
        title_fr: 'Corriger le validateur',
        summary_en: 'Summary',
        summary_fr: 'Résumé',
        description_en: 'Description',
        description_fr: 'Description',
        closes_on: '2026-12-20',
        closes_time: '14:00',
      },
      '/fr/compte',
    );
    expect(res.status).toBe(409);
    expect(text(res.text)).toContain(
      'Cette occasion n’est plus ouverte : aucun addenda ne peut être publié.',
    );
    expect(await w.database.db('addenda').where({ opportunity_id: ids.closed })).toEqual([]);
    expect((await opportunityRow('MA-2026-0002')).status).toBe('closed');
  });

  it('is for program officers only: a supplier gets 404, the department’s client 403', async () => {
    const supplier = await signedIn('sophie.fournier@example.com');
    expect((await supplier.client.get(ADDENDUM_EN)).status).toBe(404);
    const client = await signedIn('client@esdc.example.ca');
    expect((await client.client.get(ADDENDUM_EN)).status).toBe(403);
  });

  it('empties the page cache when an addendum changes the deadline', async () => {
    const cached = await createTestApp(w.database.db, { cacheSeconds: 60 });
    const listener = await listenForContentChanges(
      w.database.url,
      () => cached.deps.pageCache.clear(),
      cached.deps.logger,
    );
    try {
      const officer = await signedIn('officer@esdc.example.ca', cached.app);
      const first = await request(cached.app).get(PAGE_EN).expect(200);
      expect(first.text).toContain('December 7, 2026 at 2:00 p.m.');
      expect(cached.deps.pageCache.size).toBe(1);
      const values = await addendumValues(officer);
      const res = await officer.post(ADDENDUM_EN, {
        ...values,
        addendum_en: 'Extended again.',
        addendum_fr: 'Reportée de nouveau.',
        closes_on: '2026-12-09',
        closes_time: '14:00',
      });
      expect(res.status).toBe(303);
      await vi.waitFor(() => expect(cached.deps.pageCache.size).toBe(0));
      const after = await request(cached.app).get(PAGE_EN).expect(200);
      const root = parse(after.text);
      expect(root.querySelector('.facts time[datetime="2026-12-09T19:00:00.000Z"]')).not.toBeNull();
    } finally {
      await listener.close();
    }
  });
});

describe('translations', () => {
  it('renders every page of the feature in both languages with no missing key', async () => {
    await expectEveryPageTranslated(w);
  });
});

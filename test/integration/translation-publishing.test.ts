import { parse } from 'node-html-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpportunityStatus } from '../../src/opportunities/states.ts';
import type { OutboxRow } from '../../src/platform/mail/outbox.ts';
import { createTestApp, TEST_NOW, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment, insertOpportunity } from '../helpers/fixtures.ts';
import { insertPerson, signIn, type Grant } from '../helpers/people.ts';
import { agent } from '../helpers/session.ts';

const PASSWORD = 'translation passphrase';
let database: TestDatabase;
let t: TestApp;
let esdc: number;
let tbs: number;
const ids: Record<string, number> = {};
const signedInAs: Record<string, ReturnType<typeof agent>> = {};
let sequence = 0;

const insertStaff = (email: string, grants: Grant[]) =>
  insertPerson(database.db, { email, password: PASSWORD, grants, confirmedAt: t.clock.now() });

/** A request in a given state, as the earlier screens leave it: no publication dates before publishing. */
async function request(status: OpportunityStatus, options: { funds?: boolean } = {}) {
  sequence += 1;
  const reference = `MA-2026-${String(500 + sequence).padStart(4, '0')}`;
  const id = await insertOpportunity(database.db, {
    reference,
    departmentId: esdc,
    status,
    requesterId: ids.client,
  });
  if (status !== 'published') {
    await database.db('opportunities').where({ id }).update({ opens_at: null, closes_at: null });
  }
  if (options.funds ?? true) {
    await database.db('fund_reservations').insert({
      opportunity_id: id,
      department_id: esdc,
      reservation_number: `FR-${sequence}`,
      amount_cents: 747_500,
      cost_centre: '100234',
      fund: '1000',
      gl_account: '52202',
      delegated_limit_cents: 1_000_000,
      attestation: 'I attest that funds are available.',
      approved_by: ids.manager,
      approved_at: t.clock.now(),
    });
  }
  return { id, reference };
}

const row = (id: number) => database.db('opportunities').where({ id }).first();
const eventsOf = (id: number, action: string) =>
  database.db('events').where({ entity_type: 'opportunity', entity_id: id, action });
const outbox = (template: string): Promise<OutboxRow[]> =>
  database.db('outbox').where({ template }).orderBy('id');
const translationPath = (reference: string, lang: 'en' | 'fr' = 'en') =>
  lang === 'en'
    ? `/en/requests/${reference}/translation`
    : `/fr/demandes-d-occasion/${reference}/traduction`;
const publishPath = (reference: string) => `/en/requests/${reference}/publish`;

/** Every text field of the editor as the page shows it, to send back with some changes. */
async function editorForm(a: ReturnType<typeof agent>, reference: string) {
  const page = parse((await a.client.get(translationPath(reference)).expect(200)).text);
  const form: Record<string, string> = {};
  for (const area of page.querySelectorAll('form#translation-form textarea')) {
    form[area.getAttribute('name')!] = area.textContent;
  }
  form.version = page.querySelector('input[name="version"]')!.getAttribute('value')!;
  return form;
}

function fieldValue(html: string, name: string): string | undefined {
  const element = parse(html).querySelector(`[name="${name}"]`);
  return element?.tagName === 'TEXTAREA'
    ? element.textContent
    : (element?.getAttribute('value') ?? undefined);
}

function errorSummary(html: string): string {
  return parse(html).querySelector('.error-summary')?.textContent ?? '';
}

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  esdc = await insertDepartment(database.db);
  tbs = await insertDepartment(database.db, { en: 'TBS', fr: 'SCT' });
  ids.client = await insertStaff('client@esdc.example.ca', [{ role: 'client', department: esdc }]);
  ids.officer = await insertStaff('officer@esdc.example.ca', [
    { role: 'program_officer', department: esdc },
  ]);
  ids.manager = await insertStaff('manager@esdc.example.ca', [
    { role: 'section32_manager', department: esdc, limitCents: 1_000_000 },
  ]);
  ids.colleague = await insertStaff('colleague@esdc.example.ca', [
    { role: 'client', department: esdc },
  ]);
  ids.tbsClient = await insertStaff('client@tbs.example.ca', [{ role: 'client', department: tbs }]);
  ids.tbsOfficer = await insertStaff('officer@tbs.example.ca', [
    { role: 'program_officer', department: tbs },
  ]);
  for (const name of [
    'client@esdc',
    'colleague@esdc',
    'officer@esdc',
    'client@tbs',
    'officer@tbs',
  ]) {
    signedInAs[name] = await signIn(t.app, `${name}.example.ca`, PASSWORD);
  }
});

afterAll(async () => {
  expect(t.missingKeys).toEqual([]);
  await database.drop();
});

describe('the side-by-side translation editor', () => {
  it('flags fields missing in a language and fields identical in both, in English and French', async () => {
    const { id, reference } = await request('funds_approved');
    await database
      .db('opportunities')
      .where({ id })
      .update({
        summary_fr: '',
        title_fr: database.db.raw('??', ['title_en']),
        description_en: '  ',
      });
    const officer = signedInAs['officer@esdc']!;

    const en = await officer.client.get(translationPath(reference)).expect(200);
    const page = parse(en.text);
    const flagOf = (key: string) =>
      page.querySelector(`fieldset#${key} .translation-flag`)?.textContent ?? '';
    expect(flagOf('summary')).toBe('Missing in French');
    expect(flagOf('description')).toBe('Missing in English');
    expect(flagOf('title')).toBe('Identical in both languages — check it was translated');
    expect(flagOf('mandatory-1')).toBe('');
    expect(page.querySelector('fieldset#summary legend')?.textContent).toBe('Summary');
    expect(page.querySelector('textarea#summary_fr')?.getAttribute('lang')).toBe('fr');
    expect(page.querySelector('textarea#summary_en')?.getAttribute('lang')).toBe('en');
    expect(page.querySelector('label[for="summary_fr"]')?.textContent).toBe('French');
    const check = page.querySelector('#check')!;
    expect(check.textContent).toContain('2 fields are missing text');
    expect(check.textContent).toContain('1 field is identical');
    const links = check.querySelectorAll('a').map((a) => a.getAttribute('href'));
    expect(links).toEqual(['#summary_fr', '#description_en', '#title_fr']);
    expect(en.headers['cache-control']).toBe('no-store');

    const fr = parse((await officer.client.get(translationPath(reference, 'fr')).expect(200)).text);
    expect(fr.querySelector('fieldset#summary .translation-flag')?.textContent).toBe(
      'Manquant en français',
    );
    expect(fr.querySelector('fieldset#description .translation-flag')?.textContent).toBe(
      'Manquant en anglais',
    );
    expect(fr.querySelector('fieldset#title .translation-flag')?.textContent).toBe(
      'Identique dans les deux langues — vérifiez qu’il a été traduit',
    );
    expect(fr.querySelector('fieldset#summary legend')?.textContent).toBe('Résumé');
    expect(fr.querySelector('#check')?.textContent).toContain('2 champs n’ont pas de texte');
  });

  it('records when translation was requested and shows how long it has been waiting', async () => {
    const { id, reference } = await request('funds_approved');
    const officer = signedInAs['officer@esdc']!;
    const form = await editorForm(officer, reference);
    const res = await officer.post(translationPath(reference), { ...form, intent: 'request' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${translationPath(reference)}?done=request`);
    expect((await row(id)).translation_requested_at).toEqual(new Date(TEST_NOW));
    expect(await eventsOf(id, 'translation_requested')).toHaveLength(1);
    // Nothing changed in the texts: no save event, and the version the client saw still holds.
    expect(await eventsOf(id, 'translation_saved')).toHaveLength(0);

    t.clock.set('2026-11-26T17:00:00Z');
    try {
      // Sessions end 12 hours after sign-in: three days later is a new one.
      const later = await signIn(t.app, 'officer@esdc.example.ca', PASSWORD);
      const page = parse((await later.client.get(translationPath(reference)).expect(200)).text);
      const facts = page.querySelector('dl.facts')!.textContent;
      expect(facts).toContain('November 23, 2026 at 10:00 a.m. (Eastern time)');
      expect(facts).toContain('Waiting for 3 days');
      // Asking again keeps the first request's time.
      await later.post(translationPath(reference), {
        ...(await editorForm(later, reference)),
        intent: 'request',
      });
      expect((await row(id)).translation_requested_at).toEqual(new Date(TEST_NOW));
      expect(await eventsOf(id, 'translation_requested')).toHaveLength(1);
      const after = await later.client.get(translationPath(reference)).expect(200);
      expect(parse(after.text).querySelector('button[value="request"]')).toBeNull();
    } finally {
      t.clock.set(TEST_NOW);
    }
  });

  it('refuses to mark complete while a French criterion is missing, keeping the text typed, then completes', async () => {
    const { id, reference } = await request('funds_approved');
    await database
      .db('mandatory_criteria')
      .where({ opportunity_id: id, position: 2 })
      .update({ text_fr: '' });
    await database.db('opportunities').where({ id }).update({ translation_requested_at: TEST_NOW });
    const officer = signedInAs['officer@esdc']!;
    const form = await editorForm(officer, reference);

    const refused = await officer.post(translationPath(reference), {
      ...form,
      title_fr: 'Corriger le validateur (nouveau titre)',
      intent: 'complete',
    });
    expect(refused.status).toBe(400);
    expect(errorSummary(refused.text)).toContain('Mandatory criterion 2: enter the French text.');
    expect(parse(refused.text).querySelector('.error-summary a')?.getAttribute('href')).toBe(
      '#mandatory-2_fr',
    );
    expect(fieldValue(refused.text, 'title_fr')).toBe('Corriger le validateur (nouveau titre)');
    expect(refused.text).toContain('What you typed was saved');
    const afterRefusal = await row(id);
    expect(afterRefusal.status).toBe('funds_approved');
    expect(afterRefusal.title_fr).toBe('Corriger le validateur (nouveau titre)');
    expect(afterRefusal.translation_received_at).toBeNull();
    expect(afterRefusal.preview_token).toBeNull();
    expect(await outbox('preview-ready')).toHaveLength(0);

    // The refused page carries the new version: completing from it works.
    const done = await officer.post(translationPath(reference), {
      ...form,
      title_fr: 'Corriger le validateur (nouveau titre)',
      'mandatory-2_fr': 'Expérience de l’internationalisation',
      version: fieldValue(refused.text, 'version')!,
      intent: 'complete',
    });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(`${translationPath(reference)}?done=complete`);
    const completed = await row(id);
    expect(completed.status).toBe('translated');
    expect(completed.translation_received_at).toEqual(new Date(TEST_NOW));
    expect(completed.preview_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const criterion = await database
      .db('mandatory_criteria')
      .where({ opportunity_id: id, position: 2 })
      .first();
    expect(criterion.text_fr).toBe('Expérience de l’internationalisation');
    expect(await eventsOf(id, 'complete_translation')).toHaveLength(1);
    expect(await eventsOf(id, 'translation_saved')).toHaveLength(2);

    const emails = await outbox('preview-ready');
    expect(emails).toHaveLength(1);
    expect(emails[0]!.recipient).toBe('client@esdc.example.ca');
    const link = (emails[0]!.data as { link: { en: string; fr: string } }).link;
    expect(link).toEqual({
      en: `/en/preview/${completed.preview_token}`,
      fr: `/fr/apercu/${completed.preview_token}`,
    });
    const rendered = t.deps.emailRenderer.render('preview-ready', 'en', emails[0]!.data);
    expect(rendered.text).toContain(`/en/preview/${completed.preview_token}`);
    expect(rendered.subject).toContain(reference);

    const page = parse((await officer.client.get(done.headers.location!).expect(200)).text);
    expect(page.querySelector('.notice')?.textContent).toContain('The translation is complete.');
    expect(page.querySelector('button[value="complete"]')).toBeNull();
    expect(page.querySelector('dl.facts')?.textContent).toContain('Took 0 hours');
  });

  it('refuses a text longer than its limit, keeping everything typed', async () => {
    const { id, reference } = await request('funds_approved');
    const officer = signedInAs['officer@esdc']!;
    const form = await editorForm(officer, reference);
    const res = await officer.post(translationPath(reference), {
      ...form,
      title_fr: 'T'.repeat(201),
      summary_fr: 'Résumé modifié',
      intent: 'save',
    });
    expect(res.status).toBe(400);
    expect(errorSummary(res.text)).toContain('Enter 200 characters or less to continue.');
    expect(fieldValue(res.text, 'summary_fr')).toBe('Résumé modifié');
    expect((await row(id)).summary_fr).toBe('Ajouter des messages en français au validateur.');
  });

  it('is closed after publishing: changes are addenda', async () => {
    const { id, reference } = await request('published');
    const officer = signedInAs['officer@esdc']!;
    const page = await officer.client.get(translationPath(reference)).expect(200);
    expect(page.text).toContain('This opportunity is published');
    expect(parse(page.text).querySelector('form#translation-form')).toBeNull();
    const res = await officer.client
      .post(translationPath(reference))
      .type('form')
      .send({ _csrf: await officer.csrf(translationPath(reference)), title_en: 'Changed' });
    expect(res.status).toBe(409);
    expect((await row(id)).title_en).not.toBe('Changed');
  });

  it('is closed once the client approved the preview: what is published is what they saw', async () => {
    const { id, reference } = await request('ready', { funds: true });
    const officer = signedInAs['officer@esdc']!;
    const page = await officer.client.get(translationPath(reference)).expect(200);
    expect(parse(page.text).querySelector('form#translation-form')).toBeNull();
    const res = await officer.client
      .post(translationPath(reference))
      .type('form')
      .send({ _csrf: await officer.csrf(translationPath(reference)), title_en: 'Changed' });
    expect(res.status).toBe(409);
    expect((await row(id)).title_en).not.toBe('Changed');
  });

  it('is for the program officers of the request’s department only', async () => {
    const { reference } = await request('funds_approved');
    await signedInAs['officer@tbs']!.client.get(translationPath(reference)).expect(404);
    await signedInAs['client@esdc']!.client.get(translationPath(reference)).expect(403);
  });
});

describe('the client’s preview', () => {
  async function translated() {
    const created = await request('translated');
    const token = Buffer.from(`preview-${created.reference}`.padEnd(32, '.')).toString('base64url');
    await database.db('opportunities').where({ id: created.id }).update({ preview_token: token });
    return { ...created, token };
  }

  it('is reachable by its token without signing in, marked as a preview and never indexed', async () => {
    const { reference, token } = await translated();
    const res = await agent(t.app).client.get(`/en/preview/${token}`).expect(200);
    const page = parse(res.text);
    expect(page.querySelector('.preview-banner')?.textContent).toContain(
      'Preview — this opportunity is not published yet',
    );
    expect(page.querySelector('meta[name="robots"]')?.getAttribute('content')).toBe('noindex');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(page.querySelector('h1')?.textContent).toBe(`Fix the form validator (${reference})`);
    expect(page.querySelector('#acceptance-criteria')).not.toBeNull();
    // Dates are examples until publishing: opening today, closing by default.
    expect(res.text).toContain('December 7, 2026 at 2:00 p.m. (Eastern time)');
    // Nobody signed in: no approval form.
    expect(page.querySelector('form#approve')).toBeNull();
    const toggle = page.querySelector('.lang-toggle a')?.getAttribute('href');
    expect(toggle).toBe(`/fr/apercu/${token}`);

    const fr = await agent(t.app).client.get(`/fr/apercu/${token}`).expect(200);
    expect(fr.text).toContain('Aperçu — cette occasion n’est pas encore publiée');
    expect(fr.text).toContain(`Corriger le validateur de formulaires (${reference})`);
  });

  it('answers 404 for a wrong or malformed token', async () => {
    for (const path of [`/en/preview/${'x'.repeat(43)}`, '/en/preview/short', '/fr/apercu/x']) {
      const res = await agent(t.app).client.get(path);
      expect(res.status, path).toBe(404);
      expect(res.text).toContain('noindex');
    }
  });

  it('is approved by the client who requested it only, once', async () => {
    const { id, reference, token } = await translated();
    const previewPath = `/en/preview/${token}`;
    const approvePath = `/en/requests/${reference}/approve-preview`;

    // A client of another department sees the preview (it is a link) but cannot approve.
    const tbs = signedInAs['client@tbs']!;
    const seen = parse((await tbs.client.get(previewPath).expect(200)).text);
    expect(seen.querySelector('form#approve')).toBeNull();
    const version = String((await row(id)).version);
    const refused = await tbs.post(approvePath, { version }, previewPath);
    expect(refused.status).toBe(404);
    // Nor can the program officer: approving is the client's.
    const officer = signedInAs['officer@esdc']!;
    expect((await officer.post(approvePath, { version }, previewPath)).status).toBe(403);
    // Nor a colleague of the requester: the client who asked approves what will be published.
    const colleague = signedInAs['colleague@esdc']!;
    const colleagueSees = parse((await colleague.client.get(previewPath).expect(200)).text);
    expect(colleagueSees.querySelector('form#approve')).toBeNull();
    const byColleague = await colleague.post(approvePath, { version }, previewPath);
    expect(byColleague.status).toBe(409);
    expect(byColleague.text).toContain(
      'Only the client who requested this opportunity can take this step.',
    );
    expect((await row(id)).status).toBe('translated');

    const client = signedInAs['client@esdc']!;
    const page = parse((await client.client.get(previewPath).expect(200)).text);
    const form = page.querySelector('form#approve')!;
    expect(form.getAttribute('action')).toBe(approvePath);
    const approved = await client.post(
      approvePath,
      { version: form.querySelector('input[name="version"]')!.getAttribute('value')! },
      previewPath,
    );
    expect(approved.status).toBe(303);
    expect(approved.headers.location).toBe(`${previewPath}?done=approved`);
    expect((await row(id)).status).toBe('ready');
    const after = await client.client.get(approved.headers.location!).expect(200);
    expect(after.text).toContain('you approved this preview');

    // A second click on the page seen before is stale: a message on the preview, one event.
    const again = await client.post(approvePath, { version }, previewPath);
    expect(again.status).toBe(409);
    expect(errorSummary(again.text)).toContain('or you clicked twice');
    expect(again.text).toContain('Preview — this opportunity is not published yet');
    expect(await eventsOf(id, 'approve_preview')).toHaveLength(1);

    const emails = await outbox('ready-to-publish');
    expect(emails.map((e) => e.recipient)).toEqual(['officer@esdc.example.ca']);
    expect((emails[0]!.data as { link: { en: string } }).link.en).toBe(
      `/en/requests/${reference}/publish`,
    );
  });
});

describe('publishing', () => {
  async function publishForm(a: ReturnType<typeof agent>, reference: string) {
    const html = (await a.client.get(publishPath(reference)).expect(200)).text;
    const form: Record<string, string> = {};
    for (const name of ['version', 'openingDate', 'openingTime', 'closingDate', 'closingTime']) {
      form[name] = fieldValue(html, name) ?? '';
    }
    return { html, form };
  }

  it('is refused without a section 32 fund reservation, with the message', async () => {
    const { id, reference } = await request('ready', { funds: false });
    const officer = signedInAs['officer@esdc']!;
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
    const { id, reference } = await request('ready');
    const subscriber = async (email: string, confirmed: boolean, unsubscribed = false) =>
      (
        await database
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

    t.clock.set('2026-12-18T15:00:00Z');
    try {
      const officer = await signIn(t.app, 'officer@esdc.example.ca', PASSWORD);
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
      const rendered = t.deps.emailRenderer.render('new-opportunity', 'fr', french.data);
      expect(rendered.text).toContain('6 janvier 2027 à 14\u00a0h (heure de l’Est)');
      expect(rendered.text).toContain(`/fr/occasions/${reference}`);

      const publicPage = await agent(t.app).client.get(`/en/opportunities/${reference}`);
      expect(publicPage.status).toBe(200);
    } finally {
      t.clock.set(TEST_NOW);
    }
  });

  it('uses the default closing when both closing fields are left empty', async () => {
    const { id, reference } = await request('ready');
    const officer = signedInAs['officer@esdc']!;
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
    const { reference } = await request('ready');
    await database.db('subscribers').insert({
      email: 'later.reader@example.com',
      language: 'en',
      unsubscribe_token: 'token-later',
      created_at: TEST_NOW,
      confirmed_at: TEST_NOW,
    });
    const officer = signedInAs['officer@esdc']!;
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

    const visitor = agent(t.app).client;
    await visitor.get(`/en/opportunities/${reference}`).expect(404);
    expect((await visitor.get('/en/opportunities').expect(200)).text).not.toContain(reference);
    const [announcement] = await database
      .db('outbox')
      .where({ template: 'new-opportunity', recipient: 'later.reader@example.com' });
    expect(announcement.next_attempt_at).toEqual(new Date('2026-11-24T14:00:00Z'));

    t.clock.set('2026-11-24T14:00:00Z');
    try {
      await visitor.get(`/en/opportunities/${reference}`).expect(200);
      expect((await visitor.get('/en/opportunities').expect(200)).text).toContain(reference);
    } finally {
      t.clock.set(TEST_NOW);
    }
  });

  it('withdraws the waiting announcement when an opportunity is cancelled before it opens', async () => {
    const { id, reference } = await request('ready');
    const officer = signedInAs['officer@esdc']!;
    const { form } = await publishForm(officer, reference);
    await officer.post(publishPath(reference), {
      ...form,
      openingDate: '2026-11-25',
      openingTime: '09:00',
      closingDate: '',
      closingTime: '',
    });
    const waiting = () =>
      database
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
    const { id, reference } = await request('ready');
    const officer = signedInAs['officer@esdc']!;
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
    const { reference } = await request('ready');
    const officer = signedInAs['officer@esdc']!;
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
    const { id, reference } = await request('ready');
    const token = 'p'.repeat(43);
    await database.db('opportunities').where({ id }).update({ preview_token: token });
    const officer = signedInAs['officer@esdc']!;
    const { form } = await publishForm(officer, reference);
    expect((await officer.post(publishPath(reference), form)).status).toBe(303);
    const res = await agent(t.app).client.get(`/en/preview/${token}`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/en/opportunities/${reference}`);
    // Publishing again is refused with a message, not an error page.
    const again = await officer.client.get(publishPath(reference)).expect(200);
    expect(again.text).toContain('This opportunity is published.');
  });

  it('renders every page of the feature in French without a missing key', async () => {
    const { reference } = await request('ready');
    const officer = signedInAs['officer@esdc']!;
    const res = await officer.client
      .get(`/fr/demandes-d-occasion/${reference}/publier`)
      .expect(200);
    expect(res.text).toContain('Publier l’occasion');
    expect(res.text).toContain('Réservation de fonds en vertu de l’article 32');
    expect(t.missingKeys).toEqual([]);
  });
});

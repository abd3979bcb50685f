import { parse } from 'node-html-parser';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Role } from '../../src/platform/roles.ts';
import { listenForContentChanges } from '../../src/platform/content-changes.ts';
import type { OutboxRow } from '../../src/platform/mail/outbox.ts';
import { createTestApp, TEST_NOW, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment, insertOpportunity } from '../helpers/fixtures.ts';
import { insertPerson, signIn, type SignedIn } from '../helpers/people.ts';

const PASSWORD = 'questions and addenda 2026';
const REF = 'MA-2026-0001';
const PAGE_EN = `/en/opportunities/${REF}`;
const PAGE_FR = `/fr/occasions/${REF}`;
const ANSWERS_EN = `/en/requests/${REF}/questions`;
const ANSWERS_FR = `/fr/demandes-d-occasion/${REF}/questions`;
const ADDENDUM_EN = `/en/requests/${REF}/addendum`;
// The fixture's deadline: December 4, 2026 at 14:00 Eastern (EST).
const CLOSES_AT = '2026-12-04T19:00:00.000Z';

const FRENCH_QUESTION = 'Faut-il écrire les messages d’erreur dans les deux langues officielles?';
const QUESTION_EN = 'Must the error messages be written in both official languages?';
const ANSWER_EN = 'Yes: every message exists in English and French.';
const ANSWER_FR = 'Oui : chaque message existe en anglais et en français.';

let database: TestDatabase;
let t: TestApp;
const ids: Record<string, number> = {};

function insertUser(
  email: string,
  kind: 'supplier' | 'staff',
  options: { name?: string; language?: 'en' | 'fr'; role?: Role; department?: number } = {},
): Promise<number> {
  const { name = '', language, role, department = null } = options;
  return insertPerson(database.db, {
    email,
    kind,
    name,
    language,
    password: PASSWORD,
    grants: role ? [{ role, department }] : [],
    confirmedAt: t.clock.now(),
  });
}

const signedIn = (email: string, app = t.app) => signIn(app, email, PASSWORD);

const outbox = (template: string): Promise<OutboxRow[]> =>
  database.db('outbox').where({ template }).orderBy('id');
const eventsOf = (action: string) => database.db('events').where({ action }).orderBy('id').select();
const questionRows = () => database.db('questions').orderBy('id').select();
const opportunityRow = (reference = REF) =>
  database.db('opportunities').where({ reference }).first();
const text = (html: string) => parse(html).querySelector('main')?.text.replace(/\s+/g, ' ') ?? '';

/** The addendum form as the program officer gets it: every current text, the version. */
async function addendumValues(a: SignedIn, path = ADDENDUM_EN) {
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

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  const esdc = await insertDepartment(database.db);
  const tbs = await insertDepartment(database.db, { en: 'TBS', fr: 'SCT' });
  ids.supplier = await insertUser('sophie.fournier@example.com', 'supplier', {
    name: 'Sophie Fournier',
    language: 'fr',
  });
  ids.watcher = await insertUser('watcher@example.com', 'supplier', { name: 'Wendy Watcher' });
  ids.requester = await insertUser('client@esdc.example.ca', 'staff', {
    role: 'client',
    department: esdc,
  });
  ids.officer = await insertUser('officer@esdc.example.ca', 'staff', {
    role: 'program_officer',
    department: esdc,
  });
  ids.tbsClient = await insertUser('client@tbs.example.ca', 'staff', {
    role: 'client',
    department: tbs,
  });
  ids.colleague = await insertUser('colleague@esdc.example.ca', 'staff', {
    role: 'client',
    department: esdc,
  });
  ids.opportunity = await insertOpportunity(database.db, {
    reference: REF,
    departmentId: esdc,
    requesterId: ids.requester,
  });
  ids.closed = await insertOpportunity(database.db, {
    reference: 'MA-2026-0002',
    departmentId: esdc,
    status: 'closed',
    opensAt: '2026-11-02T14:00:00Z',
    closesAt: '2026-11-20T19:00:00Z',
  });
  ids.closingSoon = await insertOpportunity(database.db, {
    reference: 'MA-2026-0003',
    departmentId: esdc,
    closesAt: '2026-11-27T19:00:00Z',
  });
});

afterAll(async () => {
  await database.drop();
});

describe('questions and answers', () => {
  it('records a supplier’s question in French and tells the requester and the program officers', async () => {
    const supplier = await signedIn('sophie.fournier@example.com');
    const page = await supplier.client.get(PAGE_FR).expect(200);
    expect(text(page.text)).toContain('sans votre nom');
    expect(text(page.text)).toContain('2 décembre 2026 à 14 h (heure de l’Est)');

    const res = await supplier.post(
      `${PAGE_FR}/questions`,
      { question: `  ${FRENCH_QUESTION}  ` },
      PAGE_FR,
    );
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${PAGE_FR}?done=question`);
    const back = await supplier.client.get(res.headers.location!).expect(200);
    expect(back.text).toContain('Votre question a été envoyée');

    const [question] = await questionRows();
    expect(question).toMatchObject({
      opportunity_id: ids.opportunity,
      asked_by: ids.supplier,
      question: FRENCH_QUESTION,
      language: 'fr',
      answered_at: null,
    });
    expect(question.asked_at.toISOString()).toBe(new Date(TEST_NOW).toISOString());
    const [event] = await eventsOf('question_asked');
    // Who asked stays out of the history staff read: only `questions.asked_by` knows.
    expect(event).toMatchObject({ entity_id: ids.opportunity, actor_id: null });

    const emails = await outbox('question-asked');
    expect(emails.map((e) => e.recipient).sort()).toEqual([
      'client@esdc.example.ca',
      'officer@esdc.example.ca',
    ]);
    expect(emails[0]!.data).toMatchObject({
      detail: FRENCH_QUESTION,
      link: { en: ANSWERS_EN, fr: ANSWERS_FR },
    });
    const rendered = t.deps.emailRenderer.render('question-asked', 'en', emails[0]!.data);
    expect(rendered.text).toContain(FRENCH_QUESTION);
    expect(rendered.subject).toContain(REF);
  });

  it('refuses an empty or too long question in the page’s language, keeping what was typed', async () => {
    const supplier = await signedIn('sophie.fournier@example.com');
    const empty = await supplier.post(`${PAGE_EN}/questions`, { question: '   ' }, PAGE_EN);
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Enter your question to continue.');
    const long = 'é'.repeat(2001);
    const tooLong = await supplier.post(`${PAGE_FR}/questions`, { question: long }, PAGE_FR);
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain('2000 caractères ou moins');
    expect(tooLong.text).toContain(long);
    expect(await questionRows()).toHaveLength(1);
  });

  it('shows staff every question with its original language, never who asked', async () => {
    const officer = await signedIn('officer@esdc.example.ca');
    const res = await officer.client.get(ANSWERS_EN).expect(200);
    const root = parse(res.text);
    expect(text(res.text)).toContain('1 question waiting for an answer');
    expect(text(res.text)).toContain('Original question, in French:');
    expect(root.querySelector('blockquote[lang="fr"]')?.text).toContain(FRENCH_QUESTION);
    const id = (await questionRows())[0].id;
    expect(root.querySelector(`#question_fr-${id}`)?.text).toBe(FRENCH_QUESTION);
    expect(root.querySelector(`#question_en-${id}`)?.text).toBe('');
    expect(res.text).not.toContain('sophie.fournier@example.com');
    expect(res.text).not.toContain('Sophie Fournier');
  });

  it('answers 404 to a client of another department, on the page and for a direct POST', async () => {
    const tbs = await signedIn('client@tbs.example.ca');
    for (const path of [ANSWERS_EN, ANSWERS_FR]) {
      const res = await tbs.client.get(path);
      expect(res.status, path).toBe(404);
      expect(res.text).not.toContain(FRENCH_QUESTION);
    }
    const id = (await questionRows())[0].id;
    const post = await tbs.post(
      ANSWERS_EN,
      {
        questionId: String(id),
        question_en: QUESTION_EN,
        question_fr: FRENCH_QUESTION,
        answer_en: 'Hijacked',
        answer_fr: 'Détourné',
      },
      '/en/account',
    );
    expect(post.status).toBe(404);
    expect((await questionRows())[0].answered_at).toBeNull();
  });

  it('lets only the requester or the program team answer, and only while the opportunity is open', async () => {
    const id = String((await questionRows())[0].id);
    const answer = {
      questionId: id,
      question_en: QUESTION_EN,
      question_fr: FRENCH_QUESTION,
      answer_en: ANSWER_EN,
      answer_fr: ANSWER_FR,
    };
    // A client of the same department who did not request it.
    const colleague = await signedIn('colleague@esdc.example.ca');
    const refused = await colleague.post(ANSWERS_EN, answer);
    expect(refused.status).toBe(409);
    expect(text(refused.text)).toContain(
      'Only the client who requested this opportunity, or the program team, can answer its questions.',
    );
    expect((await questionRows())[0].answered_at).toBeNull();

    // A question left unanswered on MA-2026-0002, which has closed since.
    const [late] = await database
      .db('questions')
      .insert({
        opportunity_id: ids.closed,
        asked_by: ids.supplier,
        question: 'Trop tard?',
        language: 'fr',
        asked_at: TEST_NOW,
      })
      .returning('id');
    const officer = await signedIn('officer@esdc.example.ca');
    const closedAnswers = '/fr/demandes-d-occasion/MA-2026-0002/questions';
    const refusedLate = await officer.post(closedAnswers, {
      ...answer,
      questionId: String(late.id),
    });
    expect(refusedLate.status).toBe(409);
    expect(text(refusedLate.text)).toContain(
      'Les réponses sont publiées seulement pendant que l’occasion est ouverte.',
    );
    expect(await database.db('questions').where({ id: late.id }).first()).toMatchObject({
      answered_at: null,
    });
    await database.db('questions').where({ id: late.id }).delete();
  });

  it('publishes an answer only in both languages, with the message in the page’s language', async () => {
    const client = await signedIn('client@esdc.example.ca');
    const id = String((await questionRows())[0].id);
    const missing = await client.post(ANSWERS_FR, {
      questionId: id,
      question_en: QUESTION_EN,
      question_fr: FRENCH_QUESTION,
      answer_en: ANSWER_EN,
      answer_fr: '  ',
    });
    expect(missing.status).toBe(400);
    const root = parse(missing.text);
    expect(root.querySelector('.error-summary a')?.getAttribute('href')).toBe(`#answer_fr-${id}`);
    expect(text(missing.text)).toContain('Entrez la réponse en français.');
    expect(root.querySelector(`#answer_en-${id}`)?.text).toBe(ANSWER_EN);
    expect(root.querySelector(`#question_en-${id}`)?.text).toBe(QUESTION_EN);
    expect((await questionRows())[0].answered_at).toBeNull();
    expect(await eventsOf('question_answered')).toHaveLength(0);

    const published = await client.post(ANSWERS_FR, {
      questionId: id,
      question_en: QUESTION_EN,
      question_fr: FRENCH_QUESTION,
      answer_en: ANSWER_EN,
      answer_fr: ANSWER_FR,
    });
    expect(published.status).toBe(303);
    expect(published.headers.location).toBe(`${ANSWERS_FR}?done=answered#question-${id}`);
    const [row] = await questionRows();
    expect(row).toMatchObject({
      question_en: QUESTION_EN,
      question_fr: FRENCH_QUESTION,
      answer_en: ANSWER_EN,
      answer_fr: ANSWER_FR,
      answered_by: ids.requester,
    });
    expect(row.answered_at.toISOString()).toBe(new Date(TEST_NOW).toISOString());
    const [event] = await eventsOf('question_answered');
    expect(event).toMatchObject({ actor_id: ids.requester, payload: { questionId: row.id } });
    const emails = await outbox('question-answered');
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({ recipient: 'sophie.fournier@example.com', language: 'fr' });
    expect(emails[0]!.data).toMatchObject({ link: { en: PAGE_EN, fr: PAGE_FR } });
    const rendered = t.deps.emailRenderer.render('question-answered', 'fr', emails[0]!.data);
    expect(rendered.subject.startsWith('Réponse à votre question')).toBe(true);
  });

  it('shows the answer on the public page in each language, never the asker', async () => {
    const en = await request(t.app).get(PAGE_EN).expect(200);
    const fr = await request(t.app).get(PAGE_FR).expect(200);
    expect(text(en.text)).toContain(QUESTION_EN);
    expect(text(en.text)).toContain(ANSWER_EN);
    expect(text(en.text)).not.toContain(ANSWER_FR);
    expect(text(fr.text)).toContain(FRENCH_QUESTION);
    expect(text(fr.text)).toContain(ANSWER_FR);
    expect(text(fr.text)).not.toContain(ANSWER_EN);
    for (const res of [en, fr]) {
      expect(res.text).not.toContain('sophie.fournier');
      expect(res.text).not.toContain('Sophie Fournier');
    }
    expect(text(en.text)).toContain('published on November 23, 2026');
    // Anonymous visitors are invited to sign in, and come back to the page after.
    const link = parse(en.text).querySelector('a[href^="/en/sign-in?next="]');
    expect(link?.text).toBe('Sign in to ask a question');
    expect(link?.getAttribute('href')).toBe(`/en/sign-in?next=${encodeURIComponent(PAGE_EN)}`);
  });

  it('records a correction of a published answer without emailing the asker again', async () => {
    const officer = await signedIn('officer@esdc.example.ca');
    const id = String((await questionRows())[0].id);
    const form = {
      questionId: id,
      question_en: QUESTION_EN,
      question_fr: FRENCH_QUESTION,
      answer_en: 'Yes: every message exists in English and in French.',
      answer_fr: ANSWER_FR,
    };
    const res = await officer.post(ANSWERS_EN, form);
    expect(res.status).toBe(303);
    expect(res.headers.location).toContain('done=corrected');
    // A second click changes nothing and records nothing.
    const again = await officer.post(ANSWERS_EN, form);
    expect(again.headers.location).toContain('done=unchanged');
    const corrections = await eventsOf('answer_corrected');
    expect(corrections).toHaveLength(1);
    expect(corrections[0]).toMatchObject({
      actor_id: ids.officer,
      payload: { questionId: Number(id), changed: ['answer_en'] },
    });
    const [row] = await questionRows();
    expect(row.answered_by).toBe(ids.requester);
    expect(await outbox('question-answered')).toHaveLength(1);
    const page = await officer.client.get(`${ANSWERS_EN}?done=corrected`).expect(200);
    expect(text(page.text)).toContain('The correction was published.');
    expect(text(page.text)).toContain('0 questions waiting for an answer');
  });

  it('refuses a question 47 hours before the deadline, even from a page loaded earlier', async () => {
    // MA-2026-0003 closes on November 27 at 14:00 Eastern: questions close on the 25th at 14:00.
    const page = '/en/opportunities/MA-2026-0003';
    try {
      t.clock.set('2026-11-25T18:00:00Z');
      const supplier = await signedIn('sophie.fournier@example.com');
      const loaded = await supplier.client.get(page).expect(200);
      expect(parse(loaded.text).querySelector('textarea#question')).not.toBeNull();
      const csrf = await supplier.csrf(page);

      t.clock.set('2026-11-25T20:00:00Z');
      const late = 'Can the delivery date move?';
      const res = await supplier.client
        .post(`${page}/questions`)
        .type('form')
        .send({ question: late, _csrf: csrf });
      expect(res.status).toBe(409);
      expect(text(res.text)).toContain(
        'Questions closed on November 25, 2026 at 2:00 p.m. (Eastern time), 48 hours before the closing date: your question was not sent.',
      );
      expect(text(res.text)).toContain(late);
      expect(parse(res.text).querySelector('.error-summary a')?.getAttribute('href')).toBe(
        '#question',
      );
      expect(await database.db('questions').where({ opportunity_id: ids.closingSoon })).toEqual([]);

      const now = await supplier.client.get(page).expect(200);
      expect(parse(now.text).querySelector('textarea#question')).toBeNull();
      expect(text(now.text)).toContain('Questions closed on November 25, 2026');
    } finally {
      t.clock.set(TEST_NOW);
    }
  });

  it('refuses a question on a closed opportunity', async () => {
    const supplier = await signedIn('sophie.fournier@example.com');
    const page = '/fr/occasions/MA-2026-0002';
    const shown = await supplier.client.get(page).expect(200);
    expect(parse(shown.text).querySelector('textarea#question')).toBeNull();
    const res = await supplier.post(`${page}/questions`, { question: 'Trop tard?' }, page);
    expect(res.status).toBe(409);
    expect(text(res.text)).toContain(
      'Cette occasion est fermée : votre question n’a pas été envoyée.',
    );
    expect(await database.db('questions').where({ opportunity_id: ids.closed })).toEqual([]);
    // The language toggle leads to the same opportunity in English, not to the POST address.
    expect(parse(res.text).querySelector('.lang-toggle a')?.getAttribute('href')).toBe(
      '/en/opportunities/MA-2026-0002',
    );
  });
});

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
    const watchers = () => database.db('watchers').where({ opportunity_id: ids.opportunity });
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
    const res = await request(t.app).get(`${PAGE_EN}?done=watching`).expect(200);
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
    expect(after.version).toBe(before.version + 1);
    expect(after.status).toBe('published');
    expect(after.title_en).toBe(before.title_en);
    const [addendum] = await database.db('addenda').where({ opportunity_id: ids.opportunity });
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
    const french = t.deps.emailRenderer.render('addendum-published', 'fr', emails[0]!.data);
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
      const page = await request(t.app).get(path).expect(200);
      const root = parse(page.text);
      expect(root.querySelector('.tag-updated')?.text).toBe(badge);
      expect(root.querySelector(`.facts time[datetime="${NEW_CLOSES}"]`)?.text).toBe(closing);
      expect(root.querySelector(`.facts time[datetime="${CLOSES_AT}"]`)).toBeNull();
      expect(root.querySelector('.addenda')?.text).toContain(closing);
    }
    const en = await request(t.app).get(PAGE_EN).expect(200);
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
    const addenda = await database
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
    const fr = await request(t.app).get(PAGE_FR).expect(200);
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
    expect(await database.db('addenda').where({ opportunity_id: ids.opportunity })).toHaveLength(2);
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
    expect(await database.db('addenda').where({ opportunity_id: ids.closed })).toEqual([]);
    expect((await opportunityRow('MA-2026-0002')).status).toBe('closed');
  });

  it('is for program officers only: a supplier gets 404, the department’s client 403', async () => {
    const supplier = await signedIn('sophie.fournier@example.com');
    expect((await supplier.client.get(ADDENDUM_EN)).status).toBe(404);
    const client = await signedIn('client@esdc.example.ca');
    expect((await client.client.get(ADDENDUM_EN)).status).toBe(403);
  });

  it('empties the page cache when an addendum changes the deadline', async () => {
    const cached = await createTestApp(database.db, { cacheSeconds: 60 });
    const listener = await listenForContentChanges(
      database.url,
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
    const officer = await signedIn('officer@esdc.example.ca');
    for (const path of [
      ANSWERS_EN,
      ANSWERS_FR,
      ADDENDUM_EN,
      `/fr/demandes-d-occasion/${REF}/addenda`,
      PAGE_EN,
      PAGE_FR,
    ]) {
      await officer.client.get(path).expect(200);
    }
    const supplier = await signedIn('sophie.fournier@example.com');
    for (const path of [PAGE_EN, PAGE_FR, '/en/opportunities/MA-2026-0002']) {
      await supplier.client.get(path).expect(200);
    }
    for (const row of await database.db('outbox').select()) {
      t.deps.emailRenderer.render(row.template, row.language, row.data);
    }
    expect(t.missingKeys).toEqual([]);
  });
});

import { parse } from 'node-html-parser';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { TEST_NOW } from '../helpers/app.ts';
import {
  ANSWERS_EN,
  ANSWERS_FR,
  expectEveryPageTranslated,
  mainText,
  PAGE_EN,
  PAGE_FR,
  questionsWorld,
  REF,
} from '../helpers/questions-world.ts';

/** Suppliers' public questions on an open opportunity, and the department's answers. */
const FRENCH_QUESTION = 'Faut-il écrire les messages d’erreur dans les deux langues officielles?';
const QUESTION_EN = 'Must the error messages be written in both official languages?';
const ANSWER_EN = 'Yes: every message exists in English and French.';
const ANSWER_FR = 'Oui : chaque message existe en anglais et en français.';

const w = questionsWorld();
const { ids, outbox, eventsOf, questionRows } = w;
const signedIn = (email: string, app?: Parameters<typeof w.signedIn>[1]) => w.signedIn(email, app);
const text = mainText;

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
    const rendered = w.t.deps.emailRenderer.render('question-asked', 'en', emails[0]!.data);
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
    // A client of the same department who did not request it does not even see the page
    // (review M6), and a POST is refused the same way.
    const colleague = await signedIn('colleague@esdc.example.ca');
    expect((await colleague.client.get(ANSWERS_EN)).status).toBe(404);
    const refused = await colleague.post(ANSWERS_EN, answer, '/en/work-queues');
    expect(refused.status).toBe(404);
    expect((await questionRows())[0].answered_at).toBeNull();

    // A question left unanswered on MA-2026-0002, which has closed since.
    const [late] = await w.database
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
    expect(await w.database.db('questions').where({ id: late.id }).first()).toMatchObject({
      answered_at: null,
    });
    await w.database.db('questions').where({ id: late.id }).delete();
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
    const rendered = w.t.deps.emailRenderer.render('question-answered', 'fr', emails[0]!.data);
    expect(rendered.subject.startsWith('Réponse à votre question')).toBe(true);
  });

  it('shows the answer on the public page in each language, never the asker', async () => {
    const en = await request(w.t.app).get(PAGE_EN).expect(200);
    const fr = await request(w.t.app).get(PAGE_FR).expect(200);
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
    const link = parse(en.text)
      .querySelectorAll('a[href^="/en/sign-in?next="]')
      .find((a) => a.text === 'Sign in to ask a question');
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
      w.t.clock.set('2026-11-25T18:00:00Z');
      const supplier = await signedIn('sophie.fournier@example.com');
      const loaded = await supplier.client.get(page).expect(200);
      expect(parse(loaded.text).querySelector('textarea#question')).not.toBeNull();
      const csrf = await supplier.csrf(page);

      w.t.clock.set('2026-11-25T20:00:00Z');
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
      expect(await w.database.db('questions').where({ opportunity_id: ids.closingSoon })).toEqual(
        [],
      );

      const now = await supplier.client.get(page).expect(200);
      expect(parse(now.text).querySelector('textarea#question')).toBeNull();
      expect(text(now.text)).toContain('Questions closed on November 25, 2026');
    } finally {
      w.t.clock.set(TEST_NOW);
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
    expect(await w.database.db('questions').where({ opportunity_id: ids.closed })).toEqual([]);
    // The language toggle leads to the same opportunity in English, not to the POST address.
    expect(parse(res.text).querySelector('.lang-toggle a')?.getAttribute('href')).toBe(
      '/en/opportunities/MA-2026-0002',
    );
  });
});

describe('translations', () => {
  it('renders every page of the feature in both languages with no missing key', async () => {
    await expectEveryPageTranslated(w);
  });
});

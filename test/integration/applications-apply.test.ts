import { parse } from 'node-html-parser';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { TEST_NOW } from '../helpers/app.ts';
import { applicationWorld } from '../helpers/application-world.ts';
import { errorsOf, fieldValue } from '../helpers/pages.ts';

/** A supplier applies: a draft saved at each step, submitted, with its copy on the page and by email. */
const w = applicationWorld();
const text = (html: string) => parse(html).querySelector('main')!.textContent.replace(/\s+/g, ' ');

describe('applying to an open opportunity', () => {
  beforeEach(() => w.at(TEST_NOW));

  it('offers "Apply" to a supplier and a sign-in link to a visitor', async () => {
    const visitor = await request(w.t.app).get(w.opportunityPage()).expect(200);
    expect(visitor.text).toContain('Sign in with a supplier account to apply');
    const sophie = await w.signedIn('sophie@example.com');
    const page = await sophie.client.get(w.opportunityPage()).expect(200);
    expect(
      parse(page.text).querySelector(
        `form[action="/en/opportunities/${w.opportunity.reference}/apply"]`,
      ),
    ).not.toBeNull();
  });

  it('creates one draft through the lifecycle; a second "Apply" opens the same one', async () => {
    const sophie = await w.signedIn('sophie@example.com');
    const id = await w.apply(sophie);
    expect(await w.apply(sophie)).toBe(id);
    const rows = await w.database.db('applications').where({ supplier_id: w.ids.sophie });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'draft', opportunity_id: w.opportunity.id });
    const events = await w.database
      .db('events')
      .where({ entity_type: 'application', entity_id: id })
      .select('action', 'to_state');
    expect(events).toEqual([{ action: 'create', to_state: 'draft' }]);
  });

  it('saves a partial draft, and gives the form back with what was typed when a link is wrong', async () => {
    const marc = await w.signedIn('marc@example.com', 'fr');
    const id = await w.apply(marc, 'fr');
    const [first, second] = w.criteria;
    const saved = await w.act(
      marc,
      id,
      'save',
      { [`answer_${first!.id}`]: 'Une réponse partielle' },
      'fr',
    );
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`/fr/compte/demandes/${id}?done=saved`);
    const back = await marc.client.get(saved.headers.location!).expect(200);
    expect(back.text).toContain('Votre ébauche est enregistrée.');
    expect(fieldValue(back.text, `answer_${first!.id}`)).toBe('Une réponse partielle');

    const wrong = await w.act(
      marc,
      id,
      'save',
      {
        [`answer_${second!.id}`]: 'Deuxième réponse',
        [`links_${second!.id}`]: 'javascript:alert(1)',
      },
      'fr',
    );
    expect(wrong.status).toBe(400);
    expect(errorsOf(wrong.text)).toEqual([
      'Chaque lien pour le critère 2 doit être une adresse Web commençant par https:// ou http://, une par ligne.',
    ]);
    expect(fieldValue(wrong.text, `answer_${second!.id}`)).toBe('Deuxième réponse');
    expect(fieldValue(wrong.text, `links_${second!.id}`)).toBe('javascript:alert(1)');
    const answers = await w.database.db('application_answers').where({ application_id: id });
    // The first save kept both answers (the second empty); the refused one changed nothing.
    expect(answers.map((a) => a.answer).sort()).toEqual(['', 'Une réponse partielle']);
  });

  it('refuses to submit an incomplete application, naming each missing part, keeping what was typed', async () => {
    const nopay = await w.signedIn('nopay@example.com');
    const id = await w.apply(nopay);
    const form = w.completeForm({ publicServant: 'yes', majority: '' });
    const res = await w.act(nopay, id, 'submit', form);
    expect(res.status).toBe(400);
    expect(errorsOf(res.text)).toEqual([
      'Confirm that you have reached the age of majority to submit.',
      'A public servant needs the written approval of their director general: confirm you have it to submit.',
      'Add to your profile how you can be paid (acquisition card and/or PayPal) to submit.',
    ]);
    expect(text(res.text)).toContain('Your profile does not yet say how you can be paid');
    expect(fieldValue(res.text, `answer_${w.criteria[0]!.id}`)).toBe(
      form[`answer_${w.criteria[0]!.id}`],
    );
    expect((await w.applicationRow(id)).status).toBe('draft');
  });

  it('submits: the answers anchored to each criterion’s id and version, the wording attested, a confirmation page and email', async () => {
    const sophie = await w.signedIn('sophie@example.com');
    const id = await w.apply(sophie);
    const res = await w.act(
      sophie,
      id,
      'submit',
      w.completeForm({ conflict: 'yes', conflictDetails: 'I know the team lead.' }),
    );
    expect(res.status, res.text).toBe(303);
    expect(res.headers.location).toBe(`/en/account/applications/${id}/confirmation`);

    const row = await w.applicationRow(id);
    expect(row).toMatchObject({
      status: 'submitted',
      language: 'en',
      pays_by_card: true,
      pays_by_paypal: false,
    });
    expect(row.attestations).toMatchObject({
      majority: true,
      workStatus: 'citizen',
      conflict: true,
    });
    const wording = await w.database
      .db('attestation_texts')
      .where({ id: row.attestation_text_id })
      .first();
    expect(wording).toMatchObject({ version: 1, language: 'en' });
    const answers = await w.database
      .db('application_answers')
      .where({ application_id: id })
      .orderBy('mandatory_criterion_id')
      .select('mandatory_criterion_id', 'criterion_version', 'links');
    expect(answers).toEqual(
      w.criteria.map((c, i) => ({
        mandatory_criterion_id: c.id,
        criterion_version: c.version,
        links: [`https://github.com/example/pull/${i + 1}`],
      })),
    );

    const confirmation = await sophie.client.get(res.headers.location!).expect(200);
    const shown = text(confirmation.text);
    expect(shown).toContain('My answer to criterion 2: I merged pull requests.');
    expect(shown).toContain('I am allowed to work in Canada as: a Canadian citizen');
    expect(shown).toContain('I know the team lead.');
    // The voluntary self-identification and the feedback form, each apart from the application.
    const ref = w.opportunity.reference;
    const doc = parse(confirmation.text);
    expect(
      doc.querySelector(`a[href="/en/opportunities/${ref}/self-identification"]`),
    ).not.toBeNull();
    expect(doc.querySelector(`form[action="/en/opportunities/${ref}/feedback"]`)).not.toBeNull();
    // Its public name in the draw (src/draw/), made at the submission.
    const fingerprint = await w.database
      .db('draw_fingerprints')
      .where({ application_id: id })
      .first();
    expect(shown).toContain(fingerprint.fingerprint);
    expect(shown).toContain(fingerprint.nonce);

    const [email] = await w.outbox('application-received');
    expect(email).toMatchObject({ recipient: 'sophie@example.com', language: 'en' });
    const rendered = w.t.deps.emailRenderer.render('application-received', 'en', email!.data);
    expect(rendered.subject).toContain(w.opportunity.reference);
    expect(rendered.text).toContain('My answer to criterion 1: I merged pull requests.');
    expect(rendered.text).toContain('https://github.com/example/pull/2');
    expect(rendered.text.indexOf('We received your application')).toBeLessThan(
      rendered.text.indexOf('Nous avons reçu votre demande'),
    );

    const mine = await sophie.client.get('/en/account/applications').expect(200);
    expect(text(mine.text)).toContain('December 4, 2026 at 2:00 p.m. (Eastern time)');
    expect(text(mine.text)).toContain('Submitted');
    expect(
      parse(mine.text).querySelector(`a[href="/en/account/applications/${id}"]`),
    ).not.toBeNull();
  });

  it('never shows one supplier’s application to another: 404 on its page, its form and its confirmation', async () => {
    const sophie = await w.signedIn('sophie@example.com');
    const id = await w.apply(sophie);
    const marc = await w.signedIn('marc@example.com');
    await marc.client.get(`/en/account/applications/${id}`).expect(404);
    await marc.client.get(`/en/account/applications/${id}/confirmation`).expect(404);
    const token = await marc.csrf('/en/account/applications');
    await marc.client
      .post(`/en/account/applications/${id}`)
      .type('form')
      .send({ _csrf: token, action: 'withdraw', version: '1' })
      .expect(404);
    expect((await w.applicationRow(id)).status).toBe('submitted');
    const staff = await w.signedIn('client@esdc.example.ca');
    await staff.client.get(`/en/account/applications/${id}`).expect(403);
  });

  it('shows every page of applying in French, with no text missing in either language', async () => {
    const sophie = await w.signedIn('sophie@example.com', 'fr');
    const id = await w.apply(sophie, 'fr');
    const form = await sophie.client.get(`/fr/compte/demandes/${id}`).expect(200);
    expect(text(form.text)).toContain('Attestations d’admissibilité');
    // The French wording's version 2 (a no-break space before the colon) is the one shown.
    expect(form.text).toContain('Je peux travailler au Canada à titre de\u00a0:');
    expect(text(form.text)).toContain('(version 2)');
    await sophie.client.get(`/fr/compte/demandes/${id}/confirmation`).expect(200);
    const mine = await sophie.client.get('/fr/compte/demandes').expect(200);
    expect(text(mine.text)).toContain('Mes demandes');
    const staff = await w.signedIn('client@esdc.example.ca', 'fr');
    await staff.client.get(`/fr/demandes-d-occasion/${w.opportunity.reference}`).expect(200);
    expect(w.t.missingKeys).toEqual([]);
  });
});

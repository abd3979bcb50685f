import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { formatMoney, highestPreTaxPriceCents, maxTotalCents } from '../../src/platform/money.ts';
import { fieldValue } from '../helpers/pages.ts';
import {
  english,
  requestFormWorld,
  reviewPath,
  stepPath,
  submit,
  walk,
} from '../helpers/request-form-world.ts';

/** A client writes a request with the guided form, in English and in French, and submits it. */
const w = requestFormWorld();
const { ids, row, outbox } = w;
const signedIn = (email: string) => w.signedIn(email);

describe('the guided request form', () => {
  it('takes a client through every step in English, then submits to the program team', async () => {
    const a = await signedIn('client@esdc.example.ca');
    const empty = await a.client.get('/en/requests').expect(200);
    expect(empty.text).toContain('You have not started any opportunity request yet.');

    const intro = await a.client.get('/en/requests/new').expect(200);
    // The cap edge, computed: $8,695.65 before tax is $10,000.00 with 15 % HST.
    expect(highestPreTaxPriceCents()).toBe(869_565);
    expect(intro.text).toContain(formatMoney(highestPreTaxPriceCents(), 'en'));
    expect(intro.text).toContain('$8,695.65');
    // One client department: nothing to choose, the department goes as a hidden field.
    expect(
      parse(intro.text).querySelector('input[type="hidden"][name="department"]'),
    ).not.toBeNull();

    const ref = await w.start(a, 'en');
    expect(ref).toMatch(/^MA-2026-\d{4}$/);
    const draft = await row(ref);
    expect(draft).toMatchObject({
      status: 'draft',
      requester_id: ids.client,
      department_id: w.esdc,
      source_language: 'en',
    });
    const started = await w.database.db('events').where({ entity_id: draft.id }).select();
    expect(started).toEqual([
      expect.objectContaining({ action: 'request_started', actor_id: ids.client }),
    ]);

    const step1 = await a.client.get(stepPath(ref, 1)).expect(200);
    expect(step1.text).toContain('Step 1 of 5: About the work');
    expect(parse(step1.text).querySelector('a[aria-current="step"]')?.textContent).toBe(
      'About the work',
    );
    expect(step1.text).toContain('Markdown');

    await walk(a, ref, english('https://github.com/canada-ca/form-validator'));
    const saved = await row(ref);
    expect(saved).toMatchObject({
      title_en: 'Add French messages to the form validator',
      title_fr: '',
      repository_url: 'https://github.com/canada-ca/form-validator',
      licence: 'MIT',
      skills_en: ['TypeScript', 'Accessibility'],
      price_cents: 650_000,
      max_total_cents: maxTotalCents(650_000),
      delivery_due_on: '2027-01-29',
      preferred_opens_on: null,
      cost_centre: '100235',
      fund: '1000',
      gl_account: '52202',
      payment_method: 'paypal_payout',
      completed_steps: ['1', '2', '3', '4', '5'],
    });
    expect(saved.version).toBe(draft.version + 5);
    const acceptance = await w.database
      .db('acceptance_criteria')
      .where({ opportunity_id: saved.id })
      .orderBy('position');
    expect(acceptance.map((c) => [c.position, c.text_en, c.text_fr])).toEqual([
      [1, 'All existing tests pass', ''],
      [2, 'Every message exists in French', ''],
    ]);

    const review = await a.client.get(reviewPath(ref)).expect(200);
    expect(review.text).toContain('The request meets every rule of a micro-acquisition.');
    expect(review.text).toContain('You are writing it in English.');
    for (const amount of [650_000, 97_500, 747_500]) {
      expect(review.text).toContain(formatMoney(amount, 'en'));
    }
    expect(review.text).toContain('January 29, 2027');
    const sections = parse(review.text)
      .querySelectorAll('h2')
      .map((h) => h.textContent);
    expect(sections.indexOf('About the work')).toBeLessThan(sections.indexOf('Criteria'));
    // Work acceptance criteria come before the mandatory criteria.
    expect(review.text.indexOf('Every message exists in French')).toBeLessThan(
      review.text.indexOf('A merged pull request in TypeScript'),
    );
    const links = parse(review.text).querySelectorAll(`a[href="${stepPath(ref, 4)}"]`);
    expect(links.map((l) => l.textContent)).toContain('Change Price and dates');

    const submitted = await submit(a, ref, 'en');
    expect(submitted.status).toBe(303);
    expect(submitted.headers.location).toBe('/en/requests?notice=submitted');
    const after = await row(ref);
    expect(after.status).toBe('submitted');
    expect(after.splitting_related).toMatchObject({ exceedsCap: false });
    expect(after.splitting_justification).toBeNull();
    const submitEvent = await w.database
      .db('events')
      .where({ entity_id: after.id, action: 'submit' })
      .first();
    expect(submitEvent).toMatchObject({
      actor_id: ids.client,
      from_state: 'draft',
      to_state: 'submitted',
    });

    // One email for each program officer of ESDC, none for TBS's nor for the client.
    const emails = await outbox('request-submitted');
    expect(emails.map((e) => [e.recipient, e.language]).sort()).toEqual([
      ['officer1@esdc.example.ca', 'en'],
      ['officer2@esdc.example.ca', 'fr'],
    ]);
    expect(emails[0]!.data).toMatchObject({ reference: ref });
    const rendered = w.t.deps.emailRenderer.render('request-submitted', 'fr', emails[0]!.data);
    expect(rendered.subject).toContain(ref);
    expect(rendered.text).toContain('Une demande d’occasion est à examiner');
    expect(rendered.text).toContain('An opportunity request awaits screening');

    const list = await a.client.get('/en/requests?notice=submitted').expect(200);
    expect(list.text).toContain('Your request is submitted.');
    expect(list.text).toContain(ref);
    expect(list.text).toContain('Submitted');
    expect(list.text).toContain('The program team is screening it');

    // Submitted: the form is closed, with a clear message.
    const closed = await a.client.get(stepPath(ref, 1));
    expect(closed.status).toBe(409);
    expect(closed.text).toContain(`Request ${ref} is no longer a draft`);
  });

  it('takes a client through every step in French, with amounts typed the French way', async () => {
    const a = await signedIn('cliente@esdc.example.ca');
    const intro = await a.client.get('/fr/demandes-d-occasion/nouvelle').expect(200);
    expect(intro.text).toContain(formatMoney(highestPreTaxPriceCents(), 'fr'));
    expect(intro.text).toContain('8\u00a0695,65\u00a0$');

    const ref = await w.start(a, 'fr', 'fr');
    await walk(
      a,
      ref,
      {
        1: {
          title: 'Ajouter un mode sombre au système de conception',
          summary: 'Le système de conception n’a pas de mode sombre.',
          description: '### Contexte\n\nLes utilisateurs le demandent.',
        },
        2: {
          repositoryUrl: 'https://gitlab.com/ministere/systeme-de-conception',
          licence: 'Apache-2.0',
          skills: 'CSS\nAccessibilité',
        },
        3: {
          acceptanceCriteria: 'Le contraste respecte les WCAG 2.1 AA',
          mandatoryCriteria: 'Une contribution CSS publique\nUne expérience en accessibilité',
        },
        4: {
          price: '1\u00a0000,00',
          deliveryDueOn: '2027-02-26',
          preferredOpensOn: '2026-11-30',
          preferredClosesOn: '2026-12-14',
        },
        5: {
          costCentre: '100235',
          fund: 'F2026',
          glAccount: '52202',
          paymentMethod: 'card_direct',
        },
      },
      'fr',
    );
    const saved = await row(ref);
    expect(saved).toMatchObject({
      source_language: 'fr',
      title_fr: 'Ajouter un mode sombre au système de conception',
      title_en: '',
      skills_fr: ['CSS', 'Accessibilité'],
      price_cents: 100_000,
      max_total_cents: 115_000,
      preferred_opens_on: '2026-11-30',
      preferred_closes_on: '2026-12-14',
      payment_method: 'card_direct',
    });
    const mandatory = await w.database
      .db('mandatory_criteria')
      .where({ opportunity_id: saved.id })
      .orderBy('position');
    expect(mandatory.map((c) => c.text_fr)).toEqual([
      'Une contribution CSS publique',
      'Une expérience en accessibilité',
    ]);

    const review = await a.client.get(reviewPath(ref, 'fr')).expect(200);
    expect(review.text).toContain('Vérifier et soumettre votre demande d’occasion');
    expect(review.text).toContain(formatMoney(115_000, 'fr'));
    expect(review.text).toContain('14 décembre 2026');
    expect(review.text).toContain('La demande d’occasion respecte toutes les règles');

    const submitted = await submit(a, ref, 'fr');
    expect(submitted.status).toBe(303);
    expect(submitted.headers.location).toBe('/fr/demandes-d-occasion?notice=submitted');
    expect((await row(ref)).status).toBe('submitted');
    const list = await a.client.get('/fr/demandes-d-occasion?notice=submitted').expect(200);
    expect(list.text).toContain('Votre demande d’occasion est soumise.');
    expect(list.text).toContain('Soumise');
  });

  it('brings back a draft saved at step 2 after signing out and in again', async () => {
    let a = await signedIn('client@esdc.example.ca');
    const ref = await w.start(a, 'en');
    const answers = english('https://github.com/canada-ca/saved-for-later');
    const later = await a.post(stepPath(ref, 1), { ...answers[1], then: 'later' });
    expect(later.status).toBe(303);
    expect(later.headers.location).toBe('/en/requests?notice=saved');
    const list = await a.client.get('/en/requests?notice=saved').expect(200);
    expect(list.text).toContain('Your request is saved.');
    expect(list.text).toContain('Continue with step 2: Code and skills');
    expect((await a.post(stepPath(ref, 2), { ...answers[2], then: 'later' })).status).toBe(303);

    await a.post('/en/sign-out', {}, '/en/requests');
    expect((await a.client.get(stepPath(ref, 2))).status).toBe(303);
    a = await signedIn('client@esdc.example.ca');
    const step2 = await a.client.get(stepPath(ref, 2)).expect(200);
    expect(fieldValue(step2.text, 'repositoryUrl')).toBe(
      'https://github.com/canada-ca/saved-for-later',
    );
    expect(fieldValue(step2.text, 'licence')).toBe('MIT');
    expect(fieldValue(step2.text, 'skills')).toBe('TypeScript\nAccessibility');
    const step1 = await a.client.get(stepPath(ref, 1)).expect(200);
    expect(fieldValue(step1.text, 'title')).toBe(answers[1].title);
    expect(fieldValue(step1.text, 'description')).toBe(answers[1].description);
    const done = parse(step1.text).querySelectorAll('.step-list li');
    expect(done.map((li) => li.classList.contains('step-done'))).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
    // Steps can be visited in any order; the review lists what is still missing, by step.
    const review = await a.client.get(reviewPath(ref)).expect(200);
    expect(review.text).toContain('At least one mandatory criterion is needed.');
    expect(parse(review.text).querySelector('.problems a')?.getAttribute('href')).toBe(
      stepPath(ref, 3),
    );
  });
});

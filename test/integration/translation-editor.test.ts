import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { TEST_NOW } from '../helpers/app.ts';
import { previewTokenHash, previewTokenOf } from '../../src/publishing/preview-link.ts';
import { errorSummary, fieldValue } from '../helpers/pages.ts';
import { signIn } from '../helpers/people.ts';
import {
  aFundedRequest,
  aPublishedOpportunity,
  aReadyRequest,
  type FundedOptions,
} from '../helpers/scenarios.ts';
import { PASSWORD, translationPath, translationWorld } from '../helpers/translation-world.ts';

/** The program officer's side-by-side translation editor, after section 32 and before the preview. */
const w = translationWorld();
const { ids, row, eventsOf, outbox } = w;
const funded = (options: FundedOptions = {}) =>
  aFundedRequest(w.t, { requester: ids.client, ...options });

describe('the side-by-side translation editor', () => {
  it('flags fields missing in a language and fields identical in both, in English and French', async () => {
    const { id, reference } = await funded({ translationSaved: true });
    await w.database
      .db('opportunities')
      .where({ id })
      .update({
        summary_fr: '',
        title_fr: w.database.db.raw('??', ['title_en']),
        description_en: '  ',
      });
    const officer = w.signedInAs['officer@esdc']!;

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
    const { id, reference } = await funded();
    const officer = w.signedInAs['officer@esdc']!;
    const form = await w.editorForm(officer, reference);
    const res = await officer.post(translationPath(reference), { ...form, intent: 'request' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${translationPath(reference)}?done=request`);
    expect((await row(id)).translation_requested_at).toEqual(new Date(TEST_NOW));
    expect(await eventsOf(id, 'translation_requested')).toHaveLength(1);
    // Nothing changed in the texts: no save event, and the version the client saw still holds.
    expect(await eventsOf(id, 'translation_saved')).toHaveLength(0);

    w.t.clock.set('2026-11-26T17:00:00Z');
    try {
      // Sessions end 12 hours after sign-in: three days later is a new one.
      const later = await signIn(w.t.app, 'officer@esdc.example.ca', PASSWORD);
      const page = parse((await later.client.get(translationPath(reference)).expect(200)).text);
      const facts = page.querySelector('dl.facts')!.textContent;
      expect(facts).toContain('November 23, 2026 at 10:00 a.m. (Eastern time)');
      expect(facts).toContain('Waiting for 3 days');
      // Asking again keeps the first request's time.
      await later.post(translationPath(reference), {
        ...(await w.editorForm(later, reference)),
        intent: 'request',
      });
      expect((await row(id)).translation_requested_at).toEqual(new Date(TEST_NOW));
      expect(await eventsOf(id, 'translation_requested')).toHaveLength(1);
      const after = await later.client.get(translationPath(reference)).expect(200);
      expect(parse(after.text).querySelector('button[value="request"]')).toBeNull();
    } finally {
      w.t.clock.set(TEST_NOW);
    }
  });

  it('refuses to mark complete while a French criterion is missing, keeping the text typed, then completes', async () => {
    // Translated and saved except the second mandatory criterion's French; asked for just now.
    const { id, reference } = await funded({
      translationSaved: true,
      translationRequested: true,
      mandatory: [
        {
          en: 'A merged pull request in TypeScript',
          fr: 'Une demande de tirage fusionnée en TypeScript',
        },
        { en: 'Experience with i18n', fr: '' },
      ],
    });
    expect((await row(id)).translation_requested_at).toEqual(new Date(TEST_NOW));
    const savedBefore = (await eventsOf(id, 'translation_saved')).length;
    const officer = w.signedInAs['officer@esdc']!;
    const form = await w.editorForm(officer, reference);

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
    expect(afterRefusal.preview_token_hash).toBeNull();
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
    // The database keeps the link's hash, never the token (the pages derive it again).
    const token = previewTokenOf(w.t.deps.config.SESSION_SECRET, completed)!;
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(completed.preview_token_hash).toBe(previewTokenHash(token));
    expect(Object.values(completed)).not.toContain(token);
    const criterion = await w.database
      .db('mandatory_criteria')
      .where({ opportunity_id: id, position: 2 })
      .first();
    expect(criterion.text_fr).toBe('Expérience de l’internationalisation');
    expect(await eventsOf(id, 'complete_translation')).toHaveLength(1);
    // The refused attempt and the completion each saved what was typed.
    expect(await eventsOf(id, 'translation_saved')).toHaveLength(savedBefore + 2);

    const emails = await outbox('preview-ready');
    expect(emails).toHaveLength(1);
    expect(emails[0]!.recipient).toBe('client@esdc.example.ca');
    const link = (emails[0]!.data as { link: { en: string; fr: string } }).link;
    expect(link).toEqual({
      en: `/en/preview/${token}`,
      fr: `/fr/apercu/${token}`,
    });
    const rendered = w.t.deps.emailRenderer.render('preview-ready', 'en', emails[0]!.data);
    expect(rendered.text).toContain(`/en/preview/${token}`);
    expect(rendered.subject).toContain(reference);

    const page = parse((await officer.client.get(done.headers.location!).expect(200)).text);
    expect(page.querySelector('.notice')?.textContent).toContain('The translation is complete.');
    expect(page.querySelector('button[value="complete"]')).toBeNull();
    expect(page.querySelector('dl.facts')?.textContent).toContain('Took 0 hours');
  });

  it('refuses a text longer than its limit, keeping everything typed', async () => {
    const { id, reference } = await funded({ translationSaved: true });
    const officer = w.signedInAs['officer@esdc']!;
    const form = await w.editorForm(officer, reference);
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
    const { id, reference } = await aPublishedOpportunity(w.t, { requester: ids.client });
    const officer = w.signedInAs['officer@esdc']!;
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
    const { id, reference } = await aReadyRequest(w.t, { requester: ids.client });
    const officer = w.signedInAs['officer@esdc']!;
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
    const { reference } = await funded();
    await w.signedInAs['officer@tbs']!.client.get(translationPath(reference)).expect(404);
    await w.signedInAs['client@esdc']!.client.get(translationPath(reference)).expect(403);
  });
});

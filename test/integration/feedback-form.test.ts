import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationMachine } from '../../src/applications/machine.ts';
import { feedbackSummary } from '../../src/feedback/repo.ts';
import { stepsReached } from '../../src/feedback/steps.ts';
import { transition } from '../../src/lifecycle/transition.ts';
import { url, type PageName, type UrlParams } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { APPLICANT_PASSWORD, aSubmittedApplication, aSupplier } from '../helpers/applicants.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { errorsOf, fieldValue } from '../helpers/pages.ts';
import { signIn } from '../helpers/people.ts';
import { currentUserOf } from '../helpers/scenario-people.ts';
import { close } from '../helpers/scenario-steps.ts';
import { aPublishedOpportunity, type Scenario } from '../helpers/scenarios.ts';

/** The short optional feedback form, stored with the step it follows, one answer per step. */
let database: TestDatabase;
let t: TestApp;
let opportunity: Scenario;
let applicationId: number;
let EN: string;
let FR: string;

const rows = () => database.db('feedback').where({ application_id: applicationId }).orderBy('id');

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  opportunity = await aPublishedOpportunity(t);
  const supplier = await aSupplier(t, 'li.wei@example.com');
  await aSupplier(t, 'no.application@example.com');
  applicationId = await aSubmittedApplication(t, opportunity, supplier);
  EN = `/en/opportunities/${opportunity.reference}/feedback`;
  FR = `/fr/occasions/${opportunity.reference}/retroaction`;
});
afterAll(() => database.drop());

const supplier = (lang: 'en' | 'fr' = 'en') =>
  signIn(t.app, 'li.wei@example.com', APPLICANT_PASSWORD, lang);

describe('feedback on the web', () => {
  it('stores the answers with the step they follow, and one answer per step', async () => {
    const a = await supplier();
    const page = await a.client.get(EN).expect(200);
    expect(page.text).toContain('You have just submitted your application.');
    expect(fieldValue(page.text, 'step')).toBe('application_submitted');

    const sent = await a.post(EN, {
      step: 'application_submitted',
      ease: '4',
      clarity: '5',
      would_help: '  An example of a passing answer.\r\nThank you.  ',
    });
    expect(sent.status).toBe(303);
    expect(sent.headers.location).toBe(`${EN}?step=application_submitted&done=sent`);
    const thanks = await a.client.get(sent.headers.location!).expect(200);
    expect(thanks.text).toContain('Thank you: your feedback was saved.');
    expect(thanks.text).toContain('Update my feedback');

    // Sent again, from the French page: it replaces the first answer.
    await a.post(FR, { step: 'application_submitted', clarity: '3' }, FR);
    const stored = await rows();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      step: 'application_submitted',
      ease: null,
      clarity: 3,
      would_help: null,
      language: 'fr',
    });
    // Its creation and its submission: feedback is no step of the application's history.
    const history = database
      .db('events')
      .where({ entity_type: 'application', entity_id: applicationId });
    expect(await history.clone().pluck('action')).toEqual(['create', 'submit']);
  });

  it('gives the form back in the page’s language with what was typed, and stores nothing', async () => {
    const a = await supplier('fr');
    const typed = 'Un exemple de demande retenue m’aurait aidé.';
    const bad = await a.post(
      FR,
      { step: 'application_submitted', ease: '7', would_help: typed },
      FR,
    );
    expect(bad.status).toBe(400);
    expect(errorsOf(bad.text)).toEqual([
      'Choisissez un nombre de 1 à 5 ou laissez la question sans réponse.',
    ]);
    expect(fieldValue(bad.text, 'would_help')).toBe(typed);
    expect(bad.text).toContain('<html lang="fr"');

    const long = 'é'.repeat(2001);
    const tooLong = await a.post(
      FR,
      { step: 'application_submitted', ease: '2', would_help: long },
      FR,
    );
    expect(tooLong.status).toBe(400);
    expect(errorsOf(tooLong.text)).toEqual(['Saisissez 2000 caractères ou moins pour continuer.']);
    expect(fieldValue(tooLong.text, 'would_help')).toBe(long);
    expect(tooLong.text).toMatch(/id="ease-2" name="ease" value="2" checked/);

    const empty = await a.post(EN, { step: 'application_submitted', would_help: '   ' }, EN);
    expect(empty.status).toBe(400);
    expect(errorsOf(empty.text)).toEqual([
      'Answer at least one question to send your feedback, or leave this page: feedback is optional.',
    ]);
    // 2,000 characters with CR LF line breaks are 2,000 once stored: accepted.
    const lines = `${'a'.repeat(998)}\r\n${'b'.repeat(1000)}`;
    expect((await a.post(EN, { step: 'application_submitted', would_help: lines })).status).toBe(
      303,
    );
    expect((await rows())[0]!.would_help).toHaveLength(1999);
  });

  it('takes feedback only on a step the application reached', async () => {
    let a = await supplier();
    const early = await a.post(EN, { step: 'not_met', ease: '1' });
    expect(early.status).toBe(409);
    expect(errorsOf(early.text)[0]).toContain('a step your application has not reached');
    expect((await rows()).map((r) => r.step)).toEqual(['application_submitted']);

    // Closed, then evaluated: the criteria were not met.
    t.clock.set(new Date(opportunity.closesAt!.getTime() + 1000));
    await close(t, opportunity);
    const requester = await currentUserOf(database.db, opportunity.people.requester);
    await database.db.transaction((trx) =>
      transition(trx, applicationMachine, {
        id: applicationId,
        action: 'fail',
        actor: requester,
        expectedVersion: 2,
        now: t.clock.now(),
      }),
    );
    a = await supplier();
    const outcome = await a.client.get(EN).expect(200);
    expect(outcome.text).toContain('Your application did not meet the mandatory criteria.');
    expect(fieldValue(outcome.text, 'step')).toBe('not_met');
    expect((await a.post(EN, { step: 'not_met', ease: '2', clarity: '1' })).status).toBe(303);
    expect((await rows()).map((r) => [r.step, r.ease])).toEqual([
      ['application_submitted', null],
      ['not_met', 2],
    ]);
    // For the metrics: per step, how many answered and the average scores.
    expect(await feedbackSummary(database.db, { opportunityId: opportunity.id })).toEqual([
      { step: 'application_submitted', answers: 1, averageEase: null, averageClarity: null },
      { step: 'not_met', answers: 1, averageEase: 2, averageClarity: 1 },
    ]);
  });

  it('is the supplier’s own, and refuses a form without its CSRF token', async () => {
    const other = await signIn(t.app, 'no.application@example.com', APPLICANT_PASSWORD);
    await other.client.get(EN).expect(404);
    const a = await supplier();
    await a.client.post(EN).type('form').send({ step: 'not_met', ease: '5' }).expect(403);
    expect((await rows()).find((r) => r.step === 'not_met')?.ease).toBe(2);
  });

  it('gives the confirmation and outcome pages partials that need only the reference and the step', () => {
    const context = (lang: 'en' | 'fr') => ({
      lang,
      t: t.deps.translator.t(lang),
      url: (name: PageName, params: UrlParams = {}) => url(name, params, lang),
      csrfToken: 'token',
      feedbackForm: { ref: opportunity.reference, step: 'not_drawn' },
      selfIdentificationInvitation: { ref: opportunity.reference },
    });
    const form = t.deps.views.render('feedback/_form.njk', context('fr'));
    expect(form).toContain(`action="${FR}"`);
    expect(fieldValue(form, 'step')).toBe('not_drawn');
    expect(form).toContain('mais elle n’a pas été retenue au tirage au sort');
    const invitation = t.deps.views.render('self-identification/_invitation.njk', context('en'));
    expect(invitation).toContain(
      `href="/en/opportunities/${opportunity.reference}/self-identification"`,
    );
    expect(t.missingKeys).toEqual([]);
  });

  it('knows which steps an application reached', () => {
    const at = (status: string, opportunityStatus: string, offered = false) =>
      stepsReached({ status, opportunityStatus, offered });
    expect(at('draft', 'published')).toEqual([]);
    expect(at('withdrawn', 'published')).toEqual([]);
    expect(at('submitted', 'published')).toEqual(['application_submitted']);
    expect(at('passed', 'evaluated')).toEqual(['application_submitted']);
    expect(at('passed', 'drawn')).toEqual(['application_submitted', 'not_drawn']);
    expect(at('passed', 'awarded', true)).toEqual(['application_submitted', 'selected']);
    expect(at('failed', 'evaluated')).toEqual(['application_submitted', 'not_met']);
  });
});

import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { changeableTexts } from '../../src/addenda/schemas.ts';
import { publishAddendum } from '../../src/addenda/service.ts';
import { remindUnsubmittedDrafts } from '../../src/applications/reminders.ts';
import { submittedCount } from '../../src/applications/repo.ts';
import { requestRecord } from '../../src/review/service.ts';
import { url, type PageName } from '../../src/platform/routes.ts';
import {
  applicationWorld,
  beforeClosing,
  CLOSES_AT,
  ONE_SECOND,
} from '../helpers/application-world.ts';
import { currentUserOf } from '../helpers/scenarios.ts';

/**
 * Sealed until the deadline: staff learn how many applications are submitted, never who or
 * what; an addendum reaches applicants and flags submitted applications whose criteria changed;
 * a reminder goes to unsubmitted drafts 24 hours before the deadline.
 */
const w = applicationWorld();
const MINUTE = 60 * ONE_SECOND;
const SOPHIE_ANSWER = 'Sophie’s sealed answer about pull requests.';
const START = beforeClosing(3 * 24 * 60 * MINUTE);
const ids: Record<string, number> = {};
const mainText = (html: string) => parse(html).querySelector('main')?.textContent ?? '';

describe('sealed applications', () => {
  it('shows staff only the count of submitted applications before the closing, on every page and in the record', async () => {
    w.at(START);
    const sophie = await w.signedIn('sophie@example.com');
    ids.sophie = await w.apply(sophie);
    const answer = `answer_${w.criteria[0]!.id}`;
    const sent = await w.act(
      sophie,
      ids.sophie,
      'submit',
      w.completeForm({ [answer]: SOPHIE_ANSWER }),
    );
    expect(sent.status, sent.text).toBe(303);
    const marc = await w.signedIn('marc@example.com');
    ids.marc = await w.apply(marc);
    await w.act(marc, ids.marc, 'save', { [answer]: 'Marc’s draft.' });

    const ref = w.opportunity.reference;
    // Every staff page of the opportunity's file, the evaluation's included (it opens at closing).
    const staffPages: PageName[] = [
      'request',
      'answerQuestions',
      'addendum',
      'evaluation',
      'evaluationEvaluators',
      'evaluationDeclaration',
      'evaluationApplicant',
      'drawResults',
    ];
    for (const email of ['client@esdc.example.ca', 'officer@esdc.example.ca']) {
      const staff = await w.signedIn(email);
      for (const name of staffPages) {
        const page = await staff.client.get(url(name, { ref, applicant: 'A' }, 'en'));
        expect(page.status, `${email} ${name}`).toBeLessThan(500);
        for (const secret of [
          'sophie',
          'marc',
          SOPHIE_ANSWER,
          'Marc’s draft',
          'Application started',
          'Application submitted',
        ]) {
          expect(page.text, `${email} ${name}`).not.toContain(secret);
        }
      }
      const request = await staff.client.get(url('request', { ref }, 'en')).expect(200);
      expect(mainText(request.text)).toContain('1 application submitted so far.');
      const french = await staff.client.get(url('request', { ref }, 'fr')).expect(200);
      expect(mainText(french.text)).toContain('1 demande soumise jusqu’ici.');
      // Staff cannot open the application's own pages either.
      await staff.client.get(url('application', { id: ids.sophie }, 'en')).expect(403);
    }

    const record = await requestRecord(w.t.deps.db, ref, w.t.clock.now(), 'secret');
    expect(record!.history.filter((e) => e.entity_type === 'application')).toEqual([]);
    expect(await submittedCount(w.t.deps.db, w.opportunity.id)).toBe(1);
  });

  it('tells applicants of an addendum, and asks the supplier of a submitted application to confirm a changed criterion', async () => {
    w.at(START);
    const row = await w.database.db('opportunities').where({ id: w.opportunity.id }).first();
    const texts = Object.fromEntries(changeableTexts.map((c) => [c, String(row[c] ?? '')]));
    const criterion = w.criteria[0]!;
    const officer = await currentUserOf(w.t.deps.db, w.ids.officer!);
    const published = await publishAddendum(w.t.deps, officer, w.opportunity.id, {
      version: row.version,
      summary: {
        en: 'Criterion 1 now asks for two pull requests.',
        fr: 'Le critère 1 demande maintenant deux demandes de tirage.',
      },
      texts: texts as Parameters<typeof publishAddendum>[3]['texts'],
      newClosesAt: null,
      criteria: [
        {
          kind: 'mandatory',
          id: criterion.id,
          en: 'Two merged pull requests in TypeScript',
          fr: 'Deux demandes de tirage fusionnées en TypeScript',
        },
      ],
    });
    expect(published.ok).toBe(true);
    const told = (await w.outbox('addendum-published')).map((e) => e.recipient).sort();
    expect(told).toEqual(['marc@example.com', 'sophie@example.com']);

    expect((await w.applicationRow(ids.sophie!)).criteria_changed_at).not.toBeNull();
    expect((await w.applicationRow(ids.marc!)).criteria_changed_at).toBeNull();
    const sophie = await w.signedIn('sophie@example.com');
    const page = await sophie.client.get(w.applicationPage(ids.sophie!)).expect(200);
    expect(mainText(page.text)).toContain(
      'An addendum changed a mandatory criterion after you submitted.',
    );
    expect(mainText(page.text)).toContain(
      'An addendum changed this criterion after you answered it.',
    );
    const mine = await sophie.client.get('/en/account/applications').expect(200);
    expect(mainText(mine.text)).toContain('A criterion changed: confirm or change it');

    const confirmed = await w.act(
      sophie,
      ids.sophie!,
      'revise',
      w.completeForm({ [`answer_${criterion.id}`]: SOPHIE_ANSWER }),
    );
    expect(confirmed.status, confirmed.text).toBe(303);
    expect((await w.applicationRow(ids.sophie!)).criteria_changed_at).toBeNull();
    const answer = await w.database
      .db('application_answers')
      .where({ application_id: ids.sophie, mandatory_criterion_id: criterion.id })
      .first();
    expect(answer.criterion_version).toBe(criterion.version + 1);
  });

  it('reminds the supplier of an unsubmitted draft once, 24 hours before the deadline', async () => {
    w.at(beforeClosing(24 * 60 * MINUTE + ONE_SECOND));
    expect(await remindUnsubmittedDrafts(w.t.deps.db, w.t.clock)).toBe(0);
    w.at(beforeClosing(23 * 60 * MINUTE));
    expect(await remindUnsubmittedDrafts(w.t.deps.db, w.t.clock)).toBe(1);
    expect(await remindUnsubmittedDrafts(w.t.deps.db, w.t.clock)).toBe(0);
    const [email] = await w.outbox('deadline-reminder');
    expect(email).toMatchObject({ recipient: 'marc@example.com' });
    const rendered = w.t.deps.emailRenderer.render('deadline-reminder', 'fr', email!.data);
    expect(rendered.text).toContain('4 décembre 2026 à 14\u00a0h (heure de l’Est)');
    expect(rendered.text).toContain(`/fr/compte/demandes/${ids.marc}`);
    expect(Date.parse(CLOSES_AT)).toBeGreaterThan(w.t.clock.now().getTime());
  });
});

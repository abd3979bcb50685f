import { describe, expect, it } from 'vitest';
import { publishAddendum } from '../../src/addenda/service.ts';
import { changeableTexts } from '../../src/addenda/schemas.ts';
import {
  afterClosing,
  applicationWorld,
  beforeClosing,
  CLOSES_AT,
  ONE_SECOND,
} from '../helpers/application-world.ts';
import { errorsOf } from '../helpers/pages.ts';
import type { SignedIn } from '../helpers/people.ts';
import { currentUserOf } from '../helpers/scenarios.ts';

/**
 * Until the deadline, never after: every step is judged on the server against the clock and the
 * opportunity's closing time as its row says when the step is taken — the page may have been
 * loaded long before.
 */
const w = applicationWorld();
const DEADLINE_PASSED =
  'The deadline has passed: applications can no longer be started, changed, submitted, reopened or withdrawn.';

/** Sessions end after 30 idle minutes: each supplier starts 10 minutes before what they do. */
const START = beforeClosing(10 * 60 * ONE_SECOND);

/** A supplier with an application in the given state, made at `start`. */
async function holding(email: string, state: 'draft' | 'submitted', start: Date = START) {
  w.at(start);
  const s = await w.signedIn(email);
  const id = await w.apply(s);
  const res = await w.act(s, id, state === 'submitted' ? 'submit' : 'save', w.completeForm());
  expect(res.status, res.text).toBe(303);
  return { s, id };
}

/** Loads the application page at `loadedAt`, then presses `action` at `pressedAt`. */
async function press(
  s: SignedIn,
  id: number,
  action: string,
  times: { loadedAt: Date | string; pressedAt: Date },
  form: Record<string, string> = {},
) {
  w.at(times.loadedAt);
  const version = await w.versionShown(s, id);
  w.at(times.pressedAt);
  return s.post(w.applicationPage(id), { ...form, action, version }, '/en/account/applications');
}

const justBefore = beforeClosing(ONE_SECOND);
const justAfter = afterClosing(ONE_SECOND);

describe('the deadline, to the second', () => {
  it('submits at the deadline minus one second, and refuses a submission one second after', async () => {
    const early = await holding('s1@example.com', 'draft');
    const ok = await press(
      early.s,
      early.id,
      'submit',
      { loadedAt: START, pressedAt: justBefore },
      w.completeForm(),
    );
    expect(ok.status, ok.text).toBe(303);
    expect((await w.applicationRow(early.id)).status).toBe('submitted');

    const late = await holding('s2@example.com', 'draft');
    const refused = await press(
      late.s,
      late.id,
      'submit',
      { loadedAt: justBefore, pressedAt: justAfter },
      w.completeForm(),
    );
    expect(refused.status).toBe(409);
    expect(errorsOf(refused.text)).toEqual([DEADLINE_PASSED]);
    expect((await w.applicationRow(late.id)).status).toBe('draft');
  });

  it('edits a submitted application at minus one second, and refuses the edit at plus one second', async () => {
    const { s, id } = await holding('s3@example.com', 'submitted');
    const answer = `answer_${w.criteria[0]!.id}`;
    const ok = await press(
      s,
      id,
      'revise',
      { loadedAt: START, pressedAt: justBefore },
      w.completeForm({ [answer]: 'Edited in time.' }),
    );
    expect(ok.status, ok.text).toBe(303);
    const refused = await press(
      s,
      id,
      'revise',
      { loadedAt: justBefore, pressedAt: justAfter },
      w.completeForm({ [answer]: 'Edited too late.' }),
    );
    expect(refused.status).toBe(409);
    expect(errorsOf(refused.text)).toEqual([DEADLINE_PASSED]);
    const saved = await w.database
      .db('application_answers')
      .where({ application_id: id, mandatory_criterion_id: w.criteria[0]!.id })
      .first();
    expect(saved.answer).toBe('Edited in time.');
    expect((await w.applicationRow(id)).status).toBe('submitted');
    // A draft's save is refused the same way.
    const draft = await holding('s4@example.com', 'draft');
    const lateSave = await press(
      draft.s,
      draft.id,
      'save',
      { loadedAt: justBefore, pressedAt: justAfter },
      w.completeForm({ [answer]: 'Too late.' }),
    );
    expect(lateSave.status).toBe(409);
  });

  it('withdraws at minus one second, and refuses to withdraw (or reopen) at plus one second', async () => {
    const { s, id } = await holding('s5@example.com', 'submitted');
    const refused = await press(s, id, 'withdraw', { loadedAt: justBefore, pressedAt: justAfter });
    expect(refused.status).toBe(409);
    expect(errorsOf(refused.text)).toEqual([DEADLINE_PASSED]);
    const reopen = await press(s, id, 'reopen', { loadedAt: justBefore, pressedAt: justAfter });
    expect(reopen.status).toBe(409);
    expect((await w.applicationRow(id)).status).toBe('submitted');
    const ok = await press(s, id, 'withdraw', { loadedAt: START, pressedAt: justBefore });
    expect(ok.status, ok.text).toBe(303);
    expect((await w.applicationRow(id)).status).toBe('withdrawn');
  });

  it('refuses a new application one second after the deadline', async () => {
    w.at(justBefore);
    const s = await w.signedIn('s6@example.com');
    await s.csrf(w.opportunityPage());
    w.at(justAfter);
    const res = await s.post(
      `/en/opportunities/${w.opportunity.reference}/apply`,
      {},
      '/en/account',
    );
    expect(res.status).toBe(409);
    expect(res.text).toContain(DEADLINE_PASSED);
    expect(await w.database.db('applications').where({ supplier_id: w.ids.s6 })).toEqual([]);
  });

  it('counts an extension by addendum: what the old deadline refused, the new one allows, to the second', async () => {
    const { s, id } = await holding('sophie@example.com', 'draft');
    const later = new Date(Date.parse(CLOSES_AT) + 2 * 24 * 3600 * ONE_SECOND);
    // The page is loaded before the extension; the submission comes after the old deadline.
    w.at(justBefore);
    const version = await w.versionShown(s, id);
    const row = await w.database.db('opportunities').where({ id: w.opportunity.id }).first();
    const texts = Object.fromEntries(changeableTexts.map((c) => [c, String(row[c] ?? '')]));
    const officer = await currentUserOf(w.t.deps.db, w.ids.officer!);
    const published = await publishAddendum(w.t.deps, officer, w.opportunity.id, {
      version: row.version,
      summary: {
        en: 'The deadline moves two days later.',
        fr: 'La date limite est reportée de deux jours.',
      },
      texts: texts as Parameters<typeof publishAddendum>[3]['texts'],
      newClosesAt: later,
    });
    expect(published.ok).toBe(true);
    w.at(justAfter);
    const form = { ...w.completeForm(), action: 'submit', version };
    const submitted = await s.post(w.applicationPage(id), form, '/en/account');
    expect(submitted.status, submitted.text).toBe(303);
    // The addendum reached the supplier with a draft (who does not watch the opportunity).
    const told = (await w.outbox('addendum-published')).map((e) => e.recipient);
    expect(told).toContain('sophie@example.com');

    const newStart = new Date(later.getTime() - 10 * 60 * ONE_SECOND);
    const other = await holding('marc@example.com', 'submitted', newStart);
    const inTime = { loadedAt: newStart, pressedAt: new Date(later.getTime() - ONE_SECOND) };
    const withdrawn = await press(other.s, other.id, 'withdraw', inTime);
    expect(withdrawn.status, withdrawn.text).toBe(303);
    w.at(newStart);
    const again = await w.signedIn('sophie@example.com');
    const tooLate = { loadedAt: newStart, pressedAt: new Date(later.getTime() + ONE_SECOND) };
    const refused = await press(again, id, 'withdraw', tooLate);
    expect(refused.status).toBe(409);
    expect(errorsOf(refused.text)).toEqual([DEADLINE_PASSED]);
    expect((await w.applicationRow(id)).status).toBe('submitted');
  });
});

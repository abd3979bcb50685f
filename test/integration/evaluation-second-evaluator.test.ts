import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { errorsOf, fieldValue } from '../helpers/pages.ts';
import type { SignedIn } from '../helpers/people.ts';
import {
  applicantPath,
  evaluationPath,
  evaluationWorld,
  type EvaluationFile,
} from '../helpers/evaluation-world.ts';

const w = evaluationWorld();
const passes = 'The answer links a merged pull request that meets it.';
const fails = 'The answer links no work that shows this criterion.';

async function declare(name: string, ref: string): Promise<SignedIn> {
  const a = await w.as(name);
  const res = await a.post(
    `${evaluationPath(ref)}/declaration`,
    { noConflict: 'yes' },
    evaluationPath(ref),
  );
  expect(res.status, `${name} declares`).toBe(303);
  return a;
}

/** One evaluator's decisions for one applicant: `fail` lists the criteria positions that fail. */
async function decide(a: SignedIn, file: EvaluationFile, letter: string, fail: number[] = []) {
  const form: Record<string, string> = {};
  for (const c of file.criteria) {
    const failed = fail.includes(c.position);
    form[`decision-${c.id}`] = failed ? 'fail' : 'pass';
    form[`reason-${c.id}`] = failed ? fails : passes;
  }
  const res = await a.post(applicantPath(file.reference, letter), form);
  expect(res.status, `${letter} saved`).toBe(303);
}

async function lock(a: SignedIn, file: EvaluationFile) {
  const version = String((await w.opportunity(file.id)).version);
  return a.post(
    `${evaluationPath(file.reference)}/lock`,
    { version },
    evaluationPath(file.reference),
  );
}

const letterOf = async (file: EvaluationFile, applicationId: number) => {
  const row = await w.database
    .db('anonymous_applicants')
    .where({ application_id: applicationId })
    .first('position');
  return String.fromCharCode(64 + row.position);
};

describe('a second, independent evaluator', () => {
  it('blocks the lock and the draw on a disagreement until a consensus is recorded', async () => {
    await w.requireSecondEvaluator(true);
    const file = await w.aClosedFile(2);
    const client = await declare('client', file.reference);
    await decide(client, file, 'A');
    await decide(client, file, 'B');
    let refused = await lock(client, file);
    expect(refused.status).toBe(409);
    expect(errorsOf(refused.text)).toEqual([
      'The evaluation needs its evaluators first: each one declares no conflict of interest.',
    ]);

    const officer = await w.as('officer');
    const named = await officer.post(
      `${evaluationPath(file.reference)}/evaluators`,
      { evaluator: String(w.ids.colleague) },
      evaluationPath(file.reference),
    );
    expect(named.status).toBe(303);
    const told = await w.database
      .db('outbox')
      .where({ template: 'evaluator-named', recipient: 'colleague@example.gc.ca' })
      .first('data');
    expect(told.data.reference).toBe(file.reference);
    expect(told.data.link.en).toBe(evaluationPath(file.reference));
    const colleague = await declare('colleague', file.reference);
    // Independent: the second evaluator starts from a blank form.
    const blank = await colleague.client.get(applicantPath(file.reference, 'A'));
    expect(fieldValue(blank.text, `reason-${file.criteria[0]!.id}`)).toBe('');
    await decide(colleague, file, 'A');
    const early = await colleague.post(
      `${evaluationPath(file.reference)}/consensus`,
      { applicant: 'A', criterion: String(file.criteria[0]!.id), decision: 'pass', reason: passes },
      evaluationPath(file.reference),
    );
    expect(errorsOf(early.text)).toEqual(['A consensus comes once both evaluators have finished.']);
    await decide(colleague, file, 'B', [1, 2]);

    const overview = await client.client.get(evaluationPath(file.reference));
    const listed = parse(overview.text)
      .querySelectorAll('.disagreement h3')
      .map((h) => h.textContent.trim());
    expect(listed).toEqual([
      'Applicant B – Mandatory criterion 1',
      'Applicant B – Mandatory criterion 2',
    ]);
    // One consensus form at a time, for the first open disagreement: no id twice on the page.
    expect(parse(overview.text).querySelectorAll('#consensus-form')).toHaveLength(1);
    const ids = parse(overview.text)
      .querySelectorAll('[id]')
      .map((e) => e.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    refused = await lock(client, file);
    expect(refused.status).toBe(409);
    expect(errorsOf(refused.text)).toEqual([
      'The evaluators disagree on some criteria: record a consensus for each one first.',
    ]);
    expect((await w.opportunity(file.id)).status).toBe('closed');
    expect(await w.database.db('draw_results').where({ opportunity_id: file.id })).toEqual([]);

    const short = 'Both agree it fails.';
    const typed = await client.post(
      `${evaluationPath(file.reference)}/consensus`,
      { applicant: 'B', criterion: String(file.criteria[0]!.id), decision: 'fail', reason: short },
      evaluationPath(file.reference),
    );
    expect(typed.status).toBe(400);
    expect(errorsOf(typed.text)).toEqual(['Write a reason of at least 30 characters']);
    expect(fieldValue(typed.text, 'reason')).toBe(short);
    for (const c of file.criteria) {
      const agreed = await client.post(
        `${evaluationPath(file.reference)}/consensus`,
        { applicant: 'B', criterion: String(c.id), decision: 'fail', reason: fails },
        evaluationPath(file.reference),
      );
      expect(agreed.status).toBe(303);
    }
    const done = await lock(colleague, file);
    expect(done.status).toBe(303);
    expect((await w.opportunity(file.id)).status).toBe('drawn');
    const after = parse((await client.client.get(evaluationPath(file.reference))).text);
    expect(
      after.querySelector(`a[href="/en/opportunities/${file.reference}/draw"]`),
    ).not.toBeNull();
    expect(after.querySelector('#lock')).toBeNull();
    const order = await w.database
      .db('draw_results')
      .where({ opportunity_id: file.id })
      .pluck('application_id');
    const statuses = new Map(
      (
        await w.database
          .db('applications')
          .where({ opportunity_id: file.id })
          .select('id', 'status')
      ).map((a) => [Number(a.id), a.status]),
    );
    const winner = file.applicants.find((a) => statuses.get(a.applicationId) === 'passed')!;
    expect(await letterOf(file, winner.applicationId)).toBe('A');
    expect(order.map(Number)).toEqual([winner.applicationId]);
    await w.requireSecondEvaluator(false);
  });

  it('lets the program officer see progress and return an evaluation for rework with a comment', async () => {
    const file = await w.aClosedFile(1);
    const client = await declare('client', file.reference);
    await decide(client, file, 'A', [2]);
    const officer = await w.as('officer');
    const progress = await officer.client.get(evaluationPath(file.reference));
    const officerIds = parse(progress.text)
      .querySelectorAll('[id]')
      .map((e) => e.id);
    expect(officerIds.filter((id, i) => officerIds.indexOf(id) !== i)).toEqual([]);
    const row = parse(progress.text).querySelector('#evaluators + p + table tbody tr')!;
    expect(row.textContent.replace(/\s+/g, ' ')).toContain(
      `${file.criteria.length} of ${file.criteria.length} decisions`,
    );
    const comment = 'Criterion 2: say which part of the answer falls short.';
    const returned = await officer.post(
      `${evaluationPath(file.reference)}/return`,
      { returnTo: String(w.ids.client), comment },
      evaluationPath(file.reference),
    );
    expect(returned.status).toBe(303);
    const email = await w.database
      .db('outbox')
      .where({ template: 'evaluation-returned', recipient: 'client@example.gc.ca' })
      .orderBy('id', 'desc')
      .first('data');
    expect(email.data.detail).toBe(comment);
    const back = await client.client.get(evaluationPath(file.reference));
    expect(back.text).toContain(comment);
    const refused = await lock(client, file);
    expect(errorsOf(refused.text)).toEqual([
      'An evaluation was returned for rework: its evaluator saves their changes first.',
    ]);
    await decide(client, file, 'A', [2]);
    expect((await lock(client, file)).status).toBe(303);
    expect((await w.opportunity(file.id)).status).toBe('no_qualified_applicant');
  });
});

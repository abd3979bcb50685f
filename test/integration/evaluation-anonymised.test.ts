import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { errorsOf, fieldValue, queueListed } from '../helpers/pages.ts';
import { applicantPath, evaluationPath, evaluationWorld } from '../helpers/evaluation-world.ts';

const w = evaluationWorld();
const reason = 'The linked pull request shows merged TypeScript work.';

const declare = async (name: string, ref: string) => {
  const a = await w.as(name);
  const res = await a.post(
    `${evaluationPath(ref)}/declaration`,
    { noConflict: 'yes' },
    evaluationPath(ref),
  );
  expect(res.status, `${name} declares`).toBe(303);
  return a;
};

describe('the evaluation, anonymised', () => {
  it('shows applicants by letter only: no name or email on the evaluator pages or in the history', async () => {
    const file = await w.aClosedFile(3);
    expect(file.status).toBe('closed');
    const client = await declare('client', file.reference);
    const overview = await client.client.get(evaluationPath(file.reference));
    expect(overview.status).toBe(200);
    const letters = parse(overview.text)
      .querySelectorAll('#applicants + table tbody th a')
      .map((a) => a.textContent.trim());
    expect(letters).toEqual(['Applicant A', 'Applicant B', 'Applicant C']);
    const pages = [overview.text];
    for (const letter of ['A', 'B', 'C']) {
      const res = await client.client.get(applicantPath(file.reference, letter));
      expect(res.status).toBe(200);
      pages.push(res.text);
    }
    await client.post(applicantPath(file.reference, 'A'), {
      [`decision-${file.criteria[0]!.id}`]: 'pass',
      [`reason-${file.criteria[0]!.id}`]: reason,
    });
    const requestPage = (await client.client.get(`/en/requests/${file.reference}`)).text;
    expect(
      parse(requestPage).querySelector('#actions + ul a[href$="/evaluation"]')?.textContent,
    ).toBe('Evaluation');
    pages.push(requestPage);
    for (const html of pages) {
      for (const a of file.applicants) {
        expect(html).not.toContain(a.name);
        expect(html).not.toContain(a.email);
        expect(html).not.toContain('Suppliername');
      }
    }
    // The order is drawn once and kept.
    const order = await w.database
      .db('anonymous_applicants')
      .where({ opportunity_id: file.id })
      .orderBy('position')
      .pluck('application_id');
    expect(order.map(Number).sort()).toEqual(file.applicants.map((a) => a.applicationId).sort());
    await client.client.get(evaluationPath(file.reference));
    expect(
      await w.database
        .db('anonymous_applicants')
        .where({ opportunity_id: file.id })
        .orderBy('position')
        .pluck('application_id'),
    ).toEqual(order);
  });

  it('refuses a decision without a reason, or with one under 30 characters, and keeps what was typed', async () => {
    const file = await w.aClosedFile(1);
    const client = await declare('client', file.reference);
    const [first, second] = file.criteria;
    const short = 'Looks fine to me.';
    const res = await client.post(applicantPath(file.reference, 'A'), {
      [`decision-${first!.id}`]: 'pass',
      [`reason-${first!.id}`]: '',
      [`decision-${second!.id}`]: 'fail',
      [`reason-${second!.id}`]: short,
    });
    expect(res.status).toBe(400);
    expect(errorsOf(res.text)).toEqual([
      'Write the reason for this decision',
      'Write a reason of at least 30 characters',
    ]);
    expect(fieldValue(res.text, `reason-${second!.id}`)).toBe(short);
    expect(
      parse(res.text).querySelector(`#decision-${first!.id}-pass`)?.hasAttribute('checked'),
    ).toBe(true);
    expect(
      parse(res.text).querySelector(`#decision-${second!.id}-fail`)?.hasAttribute('checked'),
    ).toBe(true);
    expect(await w.database.db('evaluation_decisions').where({ opportunity_id: file.id })).toEqual(
      [],
    );

    const fr = await client.post(
      `/fr/demandes-d-occasion/${file.reference}/evaluation/candidats/A`,
      { [`decision-${first!.id}`]: 'pass', [`reason-${first!.id}`]: short },
    );
    expect(fr.status).toBe(400);
    expect(errorsOf(fr.text)).toEqual(['Rédigez une justification d’au moins 30 caractères']);

    const long = `${'A reason that goes on. '.repeat(180)}`;
    const tooLong = await client.post(applicantPath(file.reference, 'A'), {
      [`decision-${first!.id}`]: 'pass',
      [`reason-${first!.id}`]: long,
    });
    expect(tooLong.status).toBe(400);
    expect(errorsOf(tooLong.text)).toEqual(['Enter 4000 characters or less to continue.']);
    expect(fieldValue(tooLong.text, `reason-${first!.id}`)).toBe(long);

    const saved = await client.post(applicantPath(file.reference, 'A'), {
      [`decision-${first!.id}`]: 'pass',
      [`reason-${first!.id}`]: reason,
    });
    expect(saved.status).toBe(303);
    const again = await client.client.get(applicantPath(file.reference, 'A'));
    expect(fieldValue(again.text, `reason-${first!.id}`)).toBe(reason);
  });

  it('waits in the evaluator’s and the program officer’s queues until it is locked', async () => {
    const file = await w.aClosedFile(1);
    const queue = async (name: string) =>
      (await (await w.as(name)).client.get('/en/work-queues')).text;
    const client = await queue('client');
    expect(queueListed(client, 'client-toEvaluate')).toContain(file.reference);
    expect(
      parse(client).querySelector(`#client-toEvaluate + table a`)?.getAttribute('href'),
    ).toMatch(/\/en\/requests\/MA-\d{4}-\d{4}\/evaluation$/);
    expect(queueListed(await queue('officer'), 'program_officer-evaluations')).toContain(
      file.reference,
    );
    expect(queueListed(await queue('colleague'), 'client-toEvaluate')).not.toContain(
      file.reference,
    );
  });

  it('never lets the section 32 approver evaluate, declared or named', async () => {
    const file = await w.aClosedFile(1);
    const manager = await w.as('manager');
    const res = await manager.post(
      `${evaluationPath(file.reference)}/declaration`,
      { noConflict: 'yes' },
      '/en/work-queues',
    );
    // Not the requester and not named: not an evaluator at all.
    expect(res.status).toBe(404);
    const officer = await w.as('officer');
    const offered = parse((await officer.client.get(evaluationPath(file.reference))).text)
      .querySelectorAll('select[name="evaluator"] option')
      .map((o) => o.getAttribute('value'));
    expect(offered).toContain(String(w.ids.colleague));
    expect(offered).not.toContain(String(w.ids.manager));
    const named = await officer.post(
      `${evaluationPath(file.reference)}/evaluators`,
      { evaluator: String(w.ids.manager) },
      evaluationPath(file.reference),
    );
    expect(named.status).toBe(409);
    expect(errorsOf(named.text)).toEqual([
      'The section 32 approver of this opportunity cannot evaluate its applications.',
    ]);
    expect(await w.database.db('evaluators').where({ opportunity_id: file.id })).toEqual([]);
  });

  it('leaves naming evaluators and returning an evaluation to the program officers', async () => {
    const file = await w.aClosedFile(1);
    const client = await declare('client', file.reference);
    const named = await client.post(
      `${evaluationPath(file.reference)}/evaluators`,
      { evaluator: String(w.ids.colleague) },
      evaluationPath(file.reference),
    );
    const returned = await client.post(
      `${evaluationPath(file.reference)}/return`,
      { returnTo: String(w.ids.client), comment: 'Returned by myself, to skip a step.' },
      evaluationPath(file.reference),
    );
    for (const res of [named, returned]) {
      expect(res.status).toBe(409);
      expect(errorsOf(res.text)).toEqual([
        'Only a program officer of the department names evaluators and returns an evaluation.',
      ]);
    }
    const rows = await w.database.db('evaluators').where({ opportunity_id: file.id });
    expect(rows.map((r) => [Number(r.user_id), r.returned_at])).toEqual([[w.ids.client, null]]);
  });

  it('locks: each application passes or fails through its machine, and nobody passing means no qualified applicant', async () => {
    const file = await w.aClosedFile(2);
    const client = await declare('client', file.reference);
    for (const letter of ['A', 'B']) {
      const form: Record<string, string> = {};
      for (const c of file.criteria) {
        form[`decision-${c.id}`] = 'fail';
        form[`reason-${c.id}`] = 'No merged pull request is linked in the answer.';
      }
      expect((await client.post(applicantPath(file.reference, letter), form)).status).toBe(303);
    }
    const version = String((await w.opportunity(file.id)).version);
    const res = await client.post(
      `${evaluationPath(file.reference)}/lock`,
      { version },
      evaluationPath(file.reference),
    );
    expect(res.status).toBe(303);
    expect((await w.opportunity(file.id)).status).toBe('no_qualified_applicant');
    const statuses = await w.database
      .db('applications')
      .whereIn(
        'id',
        file.applicants.map((a) => a.applicationId),
      )
      .pluck('status');
    expect(statuses).toEqual(['failed', 'failed']);
  });
});

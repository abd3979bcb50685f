import { describe, expect, it } from 'vitest';
import type { SignedIn } from '../helpers/people.ts';
import {
  applicantPath,
  evaluationPath,
  evaluationWorld,
  type EvaluationFile,
} from '../helpers/evaluation-world.ts';

/**
 * The evaluation's lock draws, then sends the outcomes (sendOutcomes): through the evaluator's
 * own pages, the first drawn is offered the contract and every applicant hears, in one step.
 */
const w = evaluationWorld();
const passes = 'The answer links a merged pull request that meets it.';
const fails = 'The answer links no work at all that shows this criterion.';

async function decide(a: SignedIn, file: EvaluationFile, applicationId: number, fail: boolean) {
  const row = await w.database
    .db('anonymous_applicants')
    .where({ application_id: applicationId })
    .first('position');
  const form: Record<string, string> = {};
  for (const c of file.criteria) {
    const failed = fail && c.position === 1;
    form[`decision-${c.id}`] = failed ? 'fail' : 'pass';
    form[`reason-${c.id}`] = failed ? fails : passes;
  }
  const letter = String.fromCharCode(64 + row.position);
  const res = await a.post(applicantPath(file.reference, letter), form);
  expect(res.status, `${letter} saved`).toBe(303);
}

const templatesTo = async (email: string) =>
  (await w.database.db('outbox').where({ recipient: email }).orderBy('id')).map((m) => m.template);

describe('the lock of the evaluation', () => {
  it('offers the contract to the first drawn and tells every applicant their outcome', async () => {
    const file = await w.aClosedFile(3);
    const client = await w.as('client');
    const declared = await client.post(
      `${evaluationPath(file.reference)}/declaration`,
      { noConflict: 'yes' },
      evaluationPath(file.reference),
    );
    expect(declared.status).toBe(303);
    const [failing, ...passing] = file.applicants;
    await decide(client, file, failing!.applicationId, true);
    for (const a of passing) await decide(client, file, a.applicationId, false);
    const version = String((await w.opportunity(file.id)).version);
    const locked = await client.post(
      `${evaluationPath(file.reference)}/lock`,
      { version },
      evaluationPath(file.reference),
    );
    expect(locked.status).toBe(303);
    expect((await w.opportunity(file.id)).status).toBe('drawn');

    const [rank1, rank2] = await w.database
      .db('draw_results')
      .where({ opportunity_id: file.id })
      .orderBy('rank')
      .pluck('application_id');
    const contracts = await w.database.db('contracts').where({ opportunity_id: file.id });
    expect(contracts).toMatchObject([
      { application_id: rank1, status: 'offered', draw_position: 1 },
    ]);
    const emailOf = (id: number) => file.applicants.find((a) => a.applicationId === id)!.email;
    expect(await templatesTo(emailOf(rank1))).toContain('offer-selected');
    expect(await templatesTo(emailOf(rank2))).toContain('outcome-not-drawn');
    const debrief = await w.database
      .db('outbox')
      .where({ recipient: failing!.email, template: 'outcome-not-qualified' })
      .first('data');
    expect(debrief.data.decisions.en[0]).toMatchObject({ passed: false, reasons: [fails] });
  });
});

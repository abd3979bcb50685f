import type { Knex } from 'knex';
import { dutiesPerformed } from '../lifecycle/events.ts';
import { checkDuties } from '../lifecycle/segregation.ts';
import type { AppDeps } from '../platform/deps.ts';
import {
  anonymousApplicants,
  consensusOf,
  criteriaOf,
  decisionsOf,
  evaluatorsOf,
  findEvaluationFile,
  type EvaluationFile,
} from './repo.ts';
import { evaluatorsRequired } from './guard.ts';
import { disagreements, lockRefusal, outcomes } from './rules.ts';

/** What the evaluation pages and the lock read of one opportunity's evaluation. */

/**
 * Closed, and after: the applications are read here only then, not even who they are (sealed
 * until the deadline).
 */
const unsealedStatuses: ReadonlySet<string> = new Set([
  'closed',
  'evaluated',
  'drawn',
  'awarded',
  'completed',
  'no_qualified_applicant',
  'terminated',
]);

/** Everything the pages and the lock read of one opportunity's evaluation. */
export async function evaluationState(trx: Knex.Transaction, file: EvaluationFile) {
  // One after the other: a transaction is one connection, which runs one query at a time.
  // Sealed until the deadline: the letters are drawn once the applications can no longer change.
  const applicants = unsealedStatuses.has(file.status)
    ? await anonymousApplicants(trx, file.id)
    : [];
  const criteria = await criteriaOf(trx, file.id);
  const evaluators = await evaluatorsOf(trx, file.id);
  const decisions = await decisionsOf(trx, file.id);
  const consensus = await consensusOf(trx, file.id);
  // Who may not evaluate for a duty they already hold on the file (the section 32 approver):
  // the program officer is not offered them.
  const barred = new Set(
    (await dutiesPerformed(trx, file.id))
      .filter((d) => !checkDuties({ history: [d], actorId: d.actorId, duty: 'evaluate' }).allowed)
      .map((d) => d.actorId),
  );
  const declared = evaluators.filter((e) => e.declared_at !== null);
  const applicationIds = applicants.map((a) => a.applicationId);
  const criterionIds = criteria.map((c) => c.id);
  const lockInput = {
    evaluatorIds: declared.map((e) => e.user_id),
    required: evaluatorsRequired(file),
    returnedEvaluatorIds: declared.filter((e) => e.returned_at !== null).map((e) => e.user_id),
    decisions,
    consensus,
    applicationIds,
    criterionIds,
  };
  const refusal = lockRefusal(lockInput);
  const bothFinished =
    declared.length >= 2 && refusal !== 'evaluators_missing' && refusal !== 'evaluation_incomplete';
  return {
    applicants,
    criteria,
    evaluators,
    declared,
    decisions,
    consensus,
    lockRefusal: refusal,
    bothFinished,
    disagreements: bothFinished ? disagreements(decisions) : [],
    barred,
    outcomes: () => outcomes({ decisions, consensus, applicationIds, criterionIds }),
  };
}

export async function readEvaluation(deps: AppDeps, reference: string) {
  return deps.db.transaction(async (trx) => {
    const file = await findEvaluationFile(trx, reference);
    if (!file) return undefined;
    return { file, state: await evaluationState(trx, file) };
  });
}

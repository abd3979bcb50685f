import type { Knex } from 'knex';
import { applicationMachine } from '../applications/machine.ts';
import { drawOrder } from '../draw/service.ts';
import { sendOutcomes } from '../offers/outcomes.ts';
import { dutiesPerformed, recordOpportunityEvent } from '../lifecycle/events.ts';
import { notify } from '../lifecycle/notify.ts';
import { checkDuties } from '../lifecycle/segregation.ts';
import { transition, TransitionError, type TransitionFailure } from '../lifecycle/transition.ts';
import { opportunityMachine } from '../opportunities/machine.ts';
import { hasRole, type CurrentUser } from '../platform/auth.ts';
import type { AppDeps } from '../platform/deps.ts';
import { isLang, type Lang } from '../platform/i18n.ts';
import {
  addEvaluator,
  anonymousApplicants,
  consensusOf,
  criteriaOf,
  decisionsOf,
  evaluatorsOf,
  findEvaluationFile,
  markDeclared,
  markReturned,
  saveConsensus,
  saveDecision,
  type EvaluationFile,
} from './repo.ts';
import { disagreements, lockRefusal, outcomes, type Decision, type LockRefusal } from './rules.ts';

/** Who evaluates: a client or a program officer of the opportunity's department. */
const evaluatorRoles = ['client', 'program_officer'] as const;

type EvaluationRefusal =
  | LockRefusal
  | 'not_closed'
  | 'not_an_evaluator'
  | 'not_staff_of_department'
  | 'section32_approver'
  | 'evaluator_conflict'
  | 'applicant'
  | 'already_named'
  | 'enough_evaluators'
  | 'not_declared'
  | 'not_independent_yet'
  | 'no_disagreement'
  | 'not_program_officer';

class EvaluationRefused extends Error {
  constructor(readonly refusal: EvaluationRefusal) {
    super(`evaluation refused: ${refusal}`);
  }
}

export type EvaluationOutcome<T = void> =
  | { ok: true; value: T }
  | { ok: false; refusal: EvaluationRefusal }
  | { ok: false; failure: TransitionFailure };

async function inTransaction<T>(
  deps: AppDeps,
  run: (trx: Knex.Transaction) => Promise<T>,
): Promise<EvaluationOutcome<T>> {
  try {
    return { ok: true, value: await deps.db.transaction(run) };
  } catch (error) {
    if (error instanceof EvaluationRefused) return { ok: false, refusal: error.refusal };
    if (error instanceof TransitionError) return { ok: false, failure: error.failure };
    throw error;
  }
}

const refuse = (refusal: EvaluationRefusal): never => {
  throw new EvaluationRefused(refusal);
};

/** How many evaluators the department asks for. */
export const evaluatorsRequired = (file: Pick<EvaluationFile, 'second_evaluator_required'>) =>
  file.second_evaluator_required ? 2 : 1;

/**
 * May this person evaluate the opportunity's applications at all? A client or program officer of
 * its department, never its section 32 approver (segregation of duties, read from the whole
 * file's history, the one rule in src/lifecycle/segregation.ts), never one of its applicants.
 */
async function evaluatorConflict(
  trx: Knex.Transaction,
  file: EvaluationFile,
  person: Pick<CurrentUser, 'id' | 'kind' | 'grants'>,
): Promise<EvaluationRefusal | undefined> {
  if (
    person.kind !== 'staff' ||
    !hasRole(person as CurrentUser, evaluatorRoles, file.department_id)
  )
    return 'not_staff_of_department';
  const duties = checkDuties({
    history: await dutiesPerformed(trx, file.id),
    actorId: person.id,
    duty: 'evaluate',
  });
  if (!duties.allowed) {
    return duties.conflicts.some((c) => c.earlierDuty === 'approve_funds')
      ? 'section32_approver'
      : 'evaluator_conflict';
  }
  const applicant = await trx('applications')
    .where({ opportunity_id: file.id, supplier_id: person.id })
    .first('id');
  return applicant ? 'applicant' : undefined;
}

async function openFile(
  trx: Knex.Transaction,
  reference: string,
  statuses: readonly string[] = ['closed'],
): Promise<EvaluationFile> {
  const file = await findEvaluationFile(trx, reference);
  if (!file) throw new TransitionError({ kind: 'not_found' });
  if (!statuses.includes(file.status)) refuse('not_closed');
  return file!;
}

/** Naming evaluators and returning an evaluation are the program team's. */
function programOfficerOnly(file: EvaluationFile, actor: CurrentUser): void {
  if (!hasRole(actor, ['program_officer'], file.department_id)) refuse('not_program_officer');
}

/** The evaluator's row, declared: only then do they see and decide anything. */
async function declaredEvaluator(trx: Knex.Transaction, file: EvaluationFile, actor: CurrentUser) {
  const evaluator = (await evaluatorsOf(trx, file.id)).find((e) => e.user_id === actor.id);
  if (!evaluator) refuse('not_an_evaluator');
  if (!evaluator!.declared_at) refuse('not_declared');
  const conflict = await evaluatorConflict(trx, file, actor);
  if (conflict) refuse(conflict);
  return evaluator!;
}

/**
 * The evaluator declares no conflict of interest, in the words shown (kept in the event, with
 * the language): the requester without being named, anyone else once the program officer named
 * them. As many as the department asks for, no more.
 */
export function declareNoConflict(
  deps: AppDeps,
  actor: CurrentUser,
  reference: string,
  declaration: { wording: string; language: Lang },
): Promise<EvaluationOutcome> {
  return inTransaction(deps, async (trx) => {
    const file = await openFile(trx, reference);
    const evaluators = await evaluatorsOf(trx, file.id);
    const own = evaluators.find((e) => e.user_id === actor.id);
    if (own?.declared_at) return;
    if (!own && actor.id !== file.requester_id) refuse('not_an_evaluator');
    const conflict = await evaluatorConflict(trx, file, actor);
    if (conflict) refuse(conflict);
    // The people the program officer named come first: the requester evaluates in a free place.
    const others = evaluators.filter((e) => e.user_id !== actor.id).length;
    if (others >= evaluatorsRequired(file)) refuse('enough_evaluators');
    const now = deps.clock.now();
    if (!own)
      await addEvaluator(trx, { opportunityId: file.id, userId: actor.id, namedBy: null, at: now });
    await markDeclared(trx, file.id, actor.id, now);
    await recordOpportunityEvent(trx, {
      opportunityId: file.id,
      action: 'declare_no_conflict',
      actorId: actor.id,
      duty: 'evaluate',
      at: now,
      payload: { wording: declaration.wording, language: declaration.language },
    });
  });
}

/** The program officer names a client or program officer of the department as evaluator. */
export function nameEvaluator(
  deps: AppDeps,
  actor: CurrentUser,
  reference: string,
  person: Pick<CurrentUser, 'id' | 'kind' | 'grants' | 'email' | 'language'>,
): Promise<EvaluationOutcome> {
  return inTransaction(deps, async (trx) => {
    // Named while it is open too, so the evaluator is ready at the closing.
    const file = await openFile(trx, reference, ['published', 'closed']);
    programOfficerOnly(file, actor);
    const evaluators = await evaluatorsOf(trx, file.id);
    if (evaluators.some((e) => e.user_id === person.id)) refuse('already_named');
    if (evaluators.length >= evaluatorsRequired(file)) refuse('enough_evaluators');
    const conflict = await evaluatorConflict(trx, file, person);
    if (conflict) refuse(conflict);
    const now = deps.clock.now();
    await addEvaluator(trx, {
      opportunityId: file.id,
      userId: person.id,
      namedBy: actor.id,
      at: now,
    });
    const eventId = await recordOpportunityEvent(trx, {
      opportunityId: file.id,
      action: 'name_evaluator',
      actorId: actor.id,
      at: now,
      payload: { evaluatorId: person.id },
    });
    await notify(trx, now, {
      template: 'evaluator-named',
      opportunityId: file.id,
      to: [{ email: person.email, language: person.language }],
      key: eventId,
      link: 'evaluation',
    });
  });
}

export interface CriterionDecision {
  criterionId: number;
  decision: Decision;
  reason: string;
}

/** One applicant's decisions by one evaluator, saved as progress (the lock comes later). */
export function saveApplicantDecisions(
  deps: AppDeps,
  actor: CurrentUser,
  reference: string,
  position: number,
  decisions: readonly CriterionDecision[],
): Promise<EvaluationOutcome> {
  return inTransaction(deps, async (trx) => {
    const file = await openFile(trx, reference);
    await declaredEvaluator(trx, file, actor);
    const applicant = (await anonymousApplicants(trx, file.id)).find(
      (a) => a.position === position,
    );
    if (!applicant) throw new TransitionError({ kind: 'not_found' });
    const criteria = await criteriaOf(trx, file.id);
    const now = deps.clock.now();
    for (const d of decisions) {
      const criterion = criteria.find((c) => c.id === d.criterionId);
      if (!criterion) throw new TransitionError({ kind: 'not_found' });
      await saveDecision(trx, {
        opportunityId: file.id,
        applicationId: applicant.applicationId,
        criterionId: criterion.id,
        criterionVersion: criterion.version,
        decision: d.decision,
        reason: d.reason.trim(),
        by: actor.id,
        at: now,
      });
    }
    // Reworked after a return: the program officer's comment has been taken up.
    await markReturned(trx, file.id, actor.id, null);
    await recordOpportunityEvent(trx, {
      opportunityId: file.id,
      action: 'evaluation_saved',
      actorId: actor.id,
      duty: 'evaluate',
      at: now,
      payload: { applicant: position },
    });
  });
}

/**
 * Where two independent evaluators disagree, one of them records the decision they agreed on,
 * with its reason. Only once both have finished: until then neither sees the other's decisions.
 */
export function recordConsensus(
  deps: AppDeps,
  actor: CurrentUser,
  reference: string,
  position: number,
  decision: CriterionDecision,
): Promise<EvaluationOutcome> {
  return inTransaction(deps, async (trx) => {
    const file = await openFile(trx, reference);
    await declaredEvaluator(trx, file, actor);
    const state = await evaluationState(trx, file);
    if (!state.bothFinished) refuse('not_independent_yet');
    const applicant = state.applicants.find((a) => a.position === position);
    const criterion = state.criteria.find((c) => c.id === decision.criterionId);
    const open =
      applicant &&
      criterion &&
      state.disagreements.some(
        (d) => d.applicationId === applicant.applicationId && d.criterionId === criterion.id,
      );
    if (!open) refuse('no_disagreement');
    const now = deps.clock.now();
    await saveConsensus(trx, {
      opportunityId: file.id,
      applicationId: applicant!.applicationId,
      criterionId: criterion!.id,
      criterionVersion: criterion!.version,
      decision: decision.decision,
      reason: decision.reason.trim(),
      by: actor.id,
      at: now,
    });
    await recordOpportunityEvent(trx, {
      opportunityId: file.id,
      action: 'consensus_recorded',
      actorId: actor.id,
      duty: 'evaluate',
      at: now,
      payload: { applicant: position, criterion: criterion!.position },
    });
  });
}

/** The program officer returns an evaluator's evaluation for rework, with a comment. */
export function returnForRework(
  deps: AppDeps,
  actor: CurrentUser,
  reference: string,
  evaluatorId: number,
  comment: string,
  /** The page's language, which the comment was typed in. */
  lang?: Lang,
): Promise<EvaluationOutcome> {
  return inTransaction(deps, async (trx) => {
    const file = await openFile(trx, reference);
    programOfficerOnly(file, actor);
    const now = deps.clock.now();
    const returned = await markReturned(trx, file.id, evaluatorId, {
      at: now,
      comment: comment.trim(),
    });
    if (returned !== 1) refuse('not_an_evaluator');
    const eventId = await recordOpportunityEvent(trx, {
      opportunityId: file.id,
      action: 'evaluation_returned',
      actorId: actor.id,
      at: now,
      reason: comment.trim(),
      reasonLang: lang,
      payload: { evaluatorId },
    });
    const evaluator = await trx('users')
      .where({ id: evaluatorId })
      .whereNull('closed_at')
      .first('email', 'preferred_language as language');
    if (evaluator) {
      await notify(trx, now, {
        template: 'evaluation-returned',
        opportunityId: file.id,
        to: [
          {
            email: evaluator.email,
            language: isLang(evaluator.language) ? evaluator.language : null,
          },
        ],
        key: eventId,
        link: 'evaluation',
        detail: comment.trim(),
      });
    }
  });
}

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

/**
 * The evaluator locks the evaluation: each application passes or fails through its machine, the
 * opportunity is evaluated, then drawn (src/draw/ ranks the passers), or it has no qualified
 * applicant when nobody passes — all in one transaction.
 */
export function lockEvaluation(
  deps: AppDeps,
  actor: CurrentUser,
  reference: string,
  expectedVersion: number,
): Promise<EvaluationOutcome<{ passed: number; failed: number }>> {
  return inTransaction(deps, async (trx) => {
    const file = await openFile(trx, reference);
    await declaredEvaluator(trx, file, actor);
    const state = await evaluationState(trx, file);
    if (state.lockRefusal) refuse(state.lockRefusal);
    const now = deps.clock.now();
    const decided = state.outcomes();
    let passed = 0;
    for (const applicant of state.applicants) {
      const passes = decided.get(applicant.applicationId) === 'pass';
      if (passes) passed += 1;
      await transition(trx, applicationMachine, {
        id: applicant.applicationId,
        action: passes ? 'pass' : 'fail',
        actor,
        expectedVersion: applicant.version,
        now,
      });
    }
    const evaluated = await transition(trx, opportunityMachine, {
      id: file.id,
      action: 'complete_evaluation',
      actor,
      expectedVersion,
      now,
      payload: { passed, failed: state.applicants.length - passed },
    });
    const passing = state.applicants
      .filter((a) => decided.get(a.applicationId) === 'pass')
      .map((a) => a.applicationId);
    if (passing.length > 0) {
      // The passers ranked by the secret committed at publishing: the order nobody could steer.
      await drawOrder(trx, file.id, passing, { config: deps.config, now });
    }
    await transition(trx, opportunityMachine, {
      id: file.id,
      action: passing.length > 0 ? 'draw' : 'find_no_qualified_applicant',
      actor,
      expectedVersion: evaluated.version,
      now,
      payload: { passed: passing.length },
    });
    // Each applicant's outcome, and the offer to the first drawn (src/offers/), in this transaction.
    await sendOutcomes(trx, file.id, now);
    return { passed, failed: state.applicants.length - passed };
  });
}

import { applicationMachine } from '../applications/machine.ts';
import { drawOrder } from '../draw/service.ts';
import { sendOutcomes } from '../offers/outcomes.ts';
import { recordOpportunityEvent } from '../lifecycle/events.ts';
import { notify } from '../lifecycle/notify.ts';
import { transition, TransitionError } from '../lifecycle/transition.ts';
import { opportunityMachine } from '../opportunities/machine.ts';
import type { CurrentUser } from '../platform/auth.ts';
import type { AppDeps } from '../platform/deps.ts';
import { isLang, type Lang } from '../platform/i18n.ts';
import {
  addEvaluator,
  anonymousApplicants,
  criteriaOf,
  evaluatorsOf,
  markDeclared,
  markReturned,
  saveConsensus,
  saveDecision,
} from './repo.ts';
import {
  declaredEvaluator,
  evaluatorConflict,
  evaluatorsRequired,
  inTransaction,
  openFile,
  programOfficerOnly,
  refuse,
  type EvaluationOutcome,
} from './guard.ts';
import type { Decision } from './rules.ts';
import { evaluationState } from './state.ts';

// What evaluators and the program team do with an opportunity's evaluation, each step in one
// transaction; who may take a step is src/evaluation/guard.ts, what the pages read is state.ts.

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

import type { Knex } from 'knex';
import { dutiesPerformed } from '../lifecycle/events.ts';
import { checkDuties } from '../lifecycle/segregation.ts';
import { TransitionError, type TransitionFailure } from '../lifecycle/transition.ts';
import { hasRole, type CurrentUser } from '../platform/auth.ts';
import type { AppDeps } from '../platform/deps.ts';
import { evaluatorsOf, findEvaluationFile, type EvaluationFile } from './repo.ts';
import type { LockRefusal } from './rules.ts';

/**
 * Who may take an evaluation step, and how a refusal reaches the page: the checks every step of
 * src/evaluation/service.ts shares.
 */

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

export async function inTransaction<T>(
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

export const refuse = (refusal: EvaluationRefusal): never => {
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
export async function evaluatorConflict(
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

export async function openFile(
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
export function programOfficerOnly(file: EvaluationFile, actor: CurrentUser): void {
  if (!hasRole(actor, ['program_officer'], file.department_id)) refuse('not_program_officer');
}

/** The evaluator's row, declared: only then do they see and decide anything. */
export async function declaredEvaluator(
  trx: Knex.Transaction,
  file: EvaluationFile,
  actor: CurrentUser,
) {
  const evaluator = (await evaluatorsOf(trx, file.id)).find((e) => e.user_id === actor.id);
  if (!evaluator) refuse('not_an_evaluator');
  if (!evaluator!.declared_at) refuse('not_declared');
  const conflict = await evaluatorConflict(trx, file, actor);
  if (conflict) refuse(conflict);
  return evaluator!;
}

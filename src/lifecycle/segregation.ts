/**
 * Segregation of duties (DOMAIN.md, "Financial Administration Act (FAA) steps").
 *
 * Pure rules, no database: the caller derives the record's history (who already did what,
 * usually from the events table) and asks before every lifecycle action whether this person
 * may perform this duty. Results carry stable codes, never sentences: the views turn
 * `segregation.<code>` into English or French.
 */

/**
 * The five duties held by different people on one record, in lifecycle order (the requester
 * may also evaluate: see mayHoldBoth).
 */
export const duties = [
  'request', // the client who asked for the work
  'approve_funds', // FAA section 32, commitment control
  'evaluate', // scores applications against the criteria
  'certify', // FAA section 34, work performed and price matches
  'pay', // FAA section 33, requisitions the payment
] as const;

export type Duty = (typeof duties)[number];

/** One duty already performed on the record. */
export interface PerformedDuty {
  duty: Duty;
  actorId: number;
}

export interface DutyCheckInput {
  /** Duties already performed on this record, in any order; repeats are fine. */
  history: readonly PerformedDuty[];
  /** The person about to act. */
  actorId: number;
  /** What they are about to do. */
  duty: Duty;
  /** People the payment benefits, e.g. the supplier's user id. */
  beneficiaryIds?: readonly number[];
}

export const conflictReasons = [
  'same_person_requested',
  'same_person_approved_funds',
  'same_person_evaluated',
  'same_person_certified',
  'same_person_paid',
  'same_person_certifies_and_pays',
  'benefits_from_transaction',
] as const;

type ConflictReason = (typeof conflictReasons)[number];

/**
 * Why the action is refused. `earlierDuty` is the duty this person already performed on the
 * record; it is null when the conflict is a benefit rather than an earlier duty.
 */
export type Conflict =
  | { reason: Exclude<ConflictReason, 'benefits_from_transaction'>; earlierDuty: Duty }
  | { reason: 'benefits_from_transaction'; earlierDuty: null };

export type DutyCheck = { allowed: true } | { allowed: false; conflicts: Conflict[] };

const earlierDutyReason = {
  request: 'same_person_requested',
  approve_funds: 'same_person_approved_funds',
  evaluate: 'same_person_evaluated',
  certify: 'same_person_certified',
  pay: 'same_person_paid',
} as const satisfies Record<Duty, ConflictReason>;

/**
 * Duties one person may hold on the same file: the requester may evaluate the applications
 * (DOMAIN.md: it is their need, and the evaluation is anonymised).
 */
function mayHoldBoth(a: Duty, b: Duty): boolean {
  return (a === 'request' && b === 'evaluate') || (a === 'evaluate' && b === 'request');
}

/** FAA: nobody certifies, pays or commits funds for a transaction that benefits them. */
const dutiesBarredToBeneficiaries: ReadonlySet<Duty> = new Set(['approve_funds', 'certify', 'pay']);

/** FAA: sections 33 and 34 are never exercised by the same person, whatever the order. */
function isCertifyAndPay(a: Duty, b: Duty): boolean {
  return (a === 'certify' && b === 'pay') || (a === 'pay' && b === 'certify');
}

/** May `actorId` perform `duty` on this record? Lists every conflict, not just the first. */
export function checkDuties(input: DutyCheckInput): DutyCheck {
  const { history, actorId, duty, beneficiaryIds = [] } = input;
  const alreadyDone = new Set(
    history.filter((entry) => entry.actorId === actorId).map((entry) => entry.duty),
  );

  const conflicts: Conflict[] = [];
  // Walk the duties in lifecycle order so the list is stable whatever order the history has.
  for (const earlier of duties) {
    // Repeating the same duty (evaluating several applications) is not a conflict.
    if (earlier === duty || !alreadyDone.has(earlier) || mayHoldBoth(earlier, duty)) continue;
    conflicts.push({
      reason: isCertifyAndPay(earlier, duty)
        ? 'same_person_certifies_and_pays'
        : earlierDutyReason[earlier],
      earlierDuty: earlier,
    });
  }
  if (dutiesBarredToBeneficiaries.has(duty) && beneficiaryIds.includes(actorId)) {
    conflicts.push({ reason: 'benefits_from_transaction', earlierDuty: null });
  }

  return conflicts.length === 0 ? { allowed: true } : { allowed: false, conflicts };
}

/** Conflicts the FAA forbids outright; no confirmation or staffing shortage excuses them. */
const neverOverridable: ReadonlySet<ConflictReason> = new Set([
  'benefits_from_transaction',
  'same_person_certifies_and_pays',
]);

export function isOverridable(conflict: Conflict): boolean {
  return !neverOverridable.has(conflict.reason);
}

/** A second person confirms that staffing does not allow separate people, and says why. */
export interface Override {
  confirmedBy: number;
  reason: string;
}

/** Long enough that the logged reason explains something ("small team" alone does not). */
export const MIN_OVERRIDE_REASON_LENGTH = 20;

export const overrideRefusals = [
  'nothing_to_override',
  'conflict_not_overridable',
  'confirmer_is_actor',
  'confirmer_in_conflict',
  'reason_missing',
  'reason_too_short',
] as const;

export type OverrideRefusal = (typeof overrideRefusals)[number];

export type OverrideDecision =
  { accepted: true; overridden: Conflict[] } | { accepted: false; refusal: OverrideRefusal };

/**
 * May the refused action go ahead with this override? Takes the same input as `checkDuties`
 * (and re-runs it) so the decision can never be made against a stale or mismatched check.
 * On acceptance, `overridden` lists the conflicts to log alongside the override reason.
 * The caller still checks that the confirmer holds the authority to confirm.
 */
export function canOverride(input: DutyCheckInput, override: Override): OverrideDecision {
  const check = checkDuties(input);
  if (check.allowed) return { accepted: false, refusal: 'nothing_to_override' };
  const { conflicts } = check;

  if (!conflicts.every(isOverridable)) {
    return { accepted: false, refusal: 'conflict_not_overridable' };
  }
  // An override the actor confirms alone is no control at all.
  if (override.confirmedBy === input.actorId) {
    return { accepted: false, refusal: 'confirmer_is_actor' };
  }
  // The confirmer must be independent of the duties in conflict, including the one at hand.
  const involvedDuties = new Set<Duty>([
    input.duty,
    ...conflicts.flatMap((c) => (c.earlierDuty === null ? [] : [c.earlierDuty])),
  ]);
  const confirmerInvolved = input.history.some(
    (entry) => entry.actorId === override.confirmedBy && involvedDuties.has(entry.duty),
  );
  if (confirmerInvolved || (input.beneficiaryIds ?? []).includes(override.confirmedBy)) {
    return { accepted: false, refusal: 'confirmer_in_conflict' };
  }

  const reason = override.reason.trim().normalize('NFC');
  if (reason === '') return { accepted: false, refusal: 'reason_missing' };
  // Count characters, not UTF-16 units, so French and English reasons are measured alike.
  if ([...reason].length < MIN_OVERRIDE_REASON_LENGTH) {
    return { accepted: false, refusal: 'reason_too_short' };
  }

  return { accepted: true, overridden: conflicts };
}

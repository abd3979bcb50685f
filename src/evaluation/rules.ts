/**
 * The evaluation's rules, pure: how applicants are named, what a complete evaluation is, where
 * two independent evaluators disagree, and what locking needs first.
 */

/** A reason says why, in a sentence or two: the pilot's evaluation had none. */
export const MIN_REASON_LENGTH = 30;

export type Decision = 'pass' | 'fail';

/** Characters, not UTF-16 units, so French and English reasons are measured alike. */
export const reasonLength = (reason: string): number => [...reason.trim().normalize('NFC')].length;

/** Applicant A, B… Z, then AA, AB…: the letters of a position (1 is A). */
export function applicantLetter(position: number): string {
  let letters = '';
  for (let n = position; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
}

/** The position of an applicant's letters, or undefined for anything that is not one. */
export function positionOfLetter(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^[A-Z]{1,3}$/.test(value)) return undefined;
  return [...value].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0);
}

export interface DecisionCell {
  applicationId: number;
  criterionId: number;
  evaluatorId: number;
  decision: Decision;
}

const cellKey = (applicationId: number, criterionId: number) => `${applicationId}:${criterionId}`;

/** Every application has a decision for every criterion by this evaluator. */
function isComplete(
  decisions: readonly DecisionCell[],
  evaluatorId: number,
  applicationIds: readonly number[],
  criterionIds: readonly number[],
): boolean {
  const done = new Set(
    decisions
      .filter((d) => d.evaluatorId === evaluatorId)
      .map((d) => cellKey(d.applicationId, d.criterionId)),
  );
  return applicationIds.every((a) => criterionIds.every((c) => done.has(cellKey(a, c))));
}

/** The cells where the evaluators' decisions differ, each once. */
export function disagreements(
  decisions: readonly DecisionCell[],
): { applicationId: number; criterionId: number }[] {
  const byCell = new Map<
    string,
    { applicationId: number; criterionId: number; seen: Set<Decision> }
  >();
  for (const d of decisions) {
    const key = cellKey(d.applicationId, d.criterionId);
    const cell = byCell.get(key) ?? {
      applicationId: d.applicationId,
      criterionId: d.criterionId,
      seen: new Set<Decision>(),
    };
    cell.seen.add(d.decision);
    byCell.set(key, cell);
  }
  return [...byCell.values()]
    .filter((cell) => cell.seen.size > 1)
    .map(({ applicationId, criterionId }) => ({ applicationId, criterionId }));
}

export interface LockInput {
  evaluatorIds: readonly number[];
  /** 1, or 2 when the department requires a second, independent evaluator. */
  required: number;
  returnedEvaluatorIds: readonly number[];
  decisions: readonly DecisionCell[];
  consensus: readonly { applicationId: number; criterionId: number }[];
  applicationIds: readonly number[];
  criterionIds: readonly number[];
}

export type LockRefusal =
  'evaluators_missing' | 'evaluation_incomplete' | 'evaluation_returned' | 'consensus_missing';

/** What stands in the way of locking, if anything (the first thing to do, in order). */
export function lockRefusal(input: LockInput): LockRefusal | undefined {
  if (input.evaluatorIds.length < input.required) return 'evaluators_missing';
  const complete = input.evaluatorIds.every((id) =>
    isComplete(input.decisions, id, input.applicationIds, input.criterionIds),
  );
  if (!complete) return 'evaluation_incomplete';
  if (input.returnedEvaluatorIds.length > 0) return 'evaluation_returned';
  const agreed = new Set(input.consensus.map((c) => cellKey(c.applicationId, c.criterionId)));
  const open = disagreements(input.decisions).filter(
    (d) => !agreed.has(cellKey(d.applicationId, d.criterionId)),
  );
  return open.length > 0 ? 'consensus_missing' : undefined;
}

/**
 * The decision that stands for each cell: the consensus where there is one, else the evaluators'
 * (they agree, or lockRefusal would have refused). An application passes when every criterion does.
 */
export function outcomes(input: {
  decisions: readonly DecisionCell[];
  consensus: readonly { applicationId: number; criterionId: number; decision: Decision }[];
  applicationIds: readonly number[];
  criterionIds: readonly number[];
}): Map<number, Decision> {
  const agreed = new Map(
    input.consensus.map((c) => [cellKey(c.applicationId, c.criterionId), c.decision]),
  );
  const decided = new Map(
    input.decisions.map((d) => [cellKey(d.applicationId, d.criterionId), d.decision]),
  );
  return new Map(
    input.applicationIds.map((a) => {
      const passes = input.criterionIds.every((c) => {
        const key = cellKey(a, c);
        return (agreed.get(key) ?? decided.get(key)) === 'pass';
      });
      return [a, passes ? 'pass' : 'fail'] as const;
    }),
  );
}

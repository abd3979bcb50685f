import type { GuardFailure } from './machine.ts';
import type { Conflict, OverrideRefusal } from './segregation.ts';

export type TransitionFailure =
  | { kind: 'not_found' }
  | { kind: 'forbidden' }
  | { kind: 'wrong_state'; status: string }
  | { kind: 'stale' }
  | { kind: 'reason_required' }
  | { kind: 'guard'; failure: GuardFailure }
  | { kind: 'segregation'; conflicts: Conflict[]; refusal?: OverrideRefusal };

/** A refused step; routes turn `failure` into a bilingual message. Nothing was written. */
export class TransitionError extends Error {
  constructor(readonly failure: TransitionFailure) {
    super(`transition refused: ${failure.kind}`);
  }
}

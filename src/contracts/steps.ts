/**
 * The contract's recorded steps that change no status (events of the contract): the supplier's
 * midpoint check-in, an extension of the due date, and the alert when the midpoint passed
 * without a check-in. The history labels them like the machine's steps.
 */
export const contractSteps = ['check_in', 'extend_due_date', 'midpoint_missed'] as const;

export const checkInAnswers = ['on_track', 'at_risk'] as const;
export type CheckInAnswer = (typeof checkInAnswers)[number];

import type { DemoContract } from './content/types.ts';

/**
 * After the award, the days of a demo contract, counted from the supplier's acceptance of the
 * terms: the delivery (a first round sent back for revisions, when the content says so), the
 * acceptance, the invoice, the section 34 certification, the card payment and the supplier's
 * confirmation that the money arrived — up to the stage the content reaches. Pure, like the
 * rest of the timeline.
 */
export type ContractAction =
  | { kind: 'deliver' }
  | { kind: 'request_revisions' }
  | { kind: 'accept_work' }
  | { kind: 'invoice' }
  | { kind: 'certify' }
  | { kind: 'pay_by_card' }
  | { kind: 'confirm_receipt' };

export const contractActionKinds: ReadonlySet<ContractAction['kind']> = new Set([
  'deliver',
  'request_revisions',
  'accept_work',
  'invoice',
  'certify',
  'pay_by_card',
  'confirm_receipt',
]);

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** The stages in order, each reached by its steps (day after the delivery, hour of that day). */
const stages: readonly {
  stage: DemoContract['reaches'];
  steps: readonly { action: ContractAction; day: number; hours: number }[];
}[] = [
  { stage: 'delivered', steps: [{ action: { kind: 'deliver' }, day: 0, hours: 0 }] },
  {
    stage: 'accepted',
    steps: [{ action: { kind: 'accept_work' }, day: 2, hours: 1 }],
  },
  { stage: 'invoiced', steps: [{ action: { kind: 'invoice' }, day: 3, hours: 0 }] },
  { stage: 'certified', steps: [{ action: { kind: 'certify' }, day: 5, hours: 2 }] },
  { stage: 'paid', steps: [{ action: { kind: 'pay_by_card' }, day: 6, hours: 3 }] },
  { stage: 'completed', steps: [{ action: { kind: 'confirm_receipt' }, day: 7, hours: 4 }] },
];

/** A round sent back: the client asks for revisions two days later, the supplier delivers again. */
const REVISION_DAYS = 4;

export function contractSteps(
  contract: DemoContract,
  acceptedAt: Date,
): { action: ContractAction; at: Date }[] {
  const last = stages.findIndex((s) => s.stage === contract.reaches);
  let first = acceptedAt.getTime() + contract.deliversAfterDays * DAY;
  const steps: { action: ContractAction; at: Date }[] = [];
  if (contract.revisions && last > 0) {
    steps.push({ action: { kind: 'deliver' }, at: new Date(first) });
    steps.push({ action: { kind: 'request_revisions' }, at: new Date(first + 2 * DAY + HOUR) });
    first += REVISION_DAYS * DAY;
  }
  for (const { steps: of } of stages.slice(0, last + 1)) {
    for (const step of of) {
      steps.push({ action: step.action, at: new Date(first + step.day * DAY + step.hours * HOUR) });
    }
  }
  return steps;
}

import { applicationMachine } from '../applications/machine.ts';
import { contractMachine } from '../contracts/machine.ts';
import { contractSteps } from '../contracts/steps.ts';
import { invoiceMachine } from '../invoices/machine.ts';
import type { Machine } from '../lifecycle/machine.ts';
import { opportunityMachine } from '../opportunities/machine.ts';
import { paymentMachine } from '../payments/machine.ts';
import { formatDeadline } from '../platform/dates.ts';
import type { Lang, Translate } from '../platform/i18n.ts';
import type { HistoryRow } from './repo.ts';

/** Steps recorded on an opportunity that change no status, each with a label in both languages. */
const recordedSteps = [
  'request_started',
  'request_step_saved',
  'splitting_approved',
  'translation_requested',
  'translation_saved',
  'question_asked',
  'question_answered',
  'answer_corrected',
  'addendum',
  'declare_no_conflict',
  'name_evaluator',
  'evaluation_saved',
  'evaluation_returned',
  'consensus_recorded',
  'offers_exhausted',
  'reposted',
  'funds_released',
  'funds_partly_released',
  'funds_amended',
  'funds_adjusted_to_invoice',
  'funds_adjustment_needed',
  'propose_override',
  'confirm_override',
] as const;

/** The creation events' actions, for each entity of the file. */
const creations: Record<string, readonly string[]> = {
  opportunity: ['create'],
  application: ['create'],
  contract: ['offer'],
  invoice: ['invoice'],
  payment: ['create'],
};

/** Every machine of an opportunity's file, whose steps the history (and an override) names. */
export const fileMachines: readonly Machine[] = [
  opportunityMachine as unknown as Machine,
  applicationMachine as unknown as Machine,
  contractMachine as unknown as Machine,
  invoiceMachine as unknown as Machine,
  paymentMachine as unknown as Machine,
];

/** Every action the history names, by entity: the machines' steps, their creation, the rest. */
export const labelledActions: Record<string, ReadonlySet<string>> = {
  ...Object.fromEntries(
    fileMachines.map((m) => [
      m.entity,
      new Set([
        ...Object.keys(m.transitions),
        ...(creations[m.entity] ?? []),
        ...(m.entity === 'opportunity' ? recordedSteps : ['propose_override', 'confirm_override']),
        ...(m.entity === 'contract' ? contractSteps : []),
      ]),
    ]),
  ),
  // PayPal's states of a payout (src/payments/paypal/payouts.ts): no machine of ours.
  paypal_payout: new Set(['payout_item_status', 'payout_batch_status']),
};

/** The locale key of an action's label; opportunity steps keep their historical keys. */
export function actionLabelKey(entity: string, action: string): string {
  if (!labelledActions[entity]?.has(action)) return 'review.history.otherStep';
  if (entity === 'opportunity' || action.endsWith('_override')) {
    return `review.history.actions.${action}`;
  }
  return `review.history.entityActions.${entity}.${action}`;
}

export function stateLabelKey(entity: string, state: string): string {
  return entity === 'opportunity' ? `status.${state}` : `lifecycle.states.${entity}.${state}`;
}

/**
 * The whole file's history for department staff: every entity's steps, each labelled in the
 * page's language. A supplier is never named (the evaluation is anonymised): staff read "a
 * supplier" whoever acted.
 */
export function presentHistory(rows: readonly HistoryRow[], lang: Lang, t: Translate) {
  return rows.map((e) => ({
    at: formatDeadline(e.at, lang),
    atIso: e.at.toISOString(),
    who:
      e.actor_kind === 'supplier'
        ? t('review.history.supplier')
        : e.actor_name || e.actor_email || t('review.history.system'),
    what: t(actionLabelKey(e.entity_type, e.action)),
    from: e.from_state ? t(stateLabelKey(e.entity_type, e.from_state)) : '',
    to: e.to_state ? t(stateLabelKey(e.entity_type, e.to_state)) : '',
    reason: e.reason ?? '',
    /** Set only when the person wrote it in the other language (WCAG 3.1.2); older events: none. */
    reasonLang: e.reason && e.reason_lang && e.reason_lang !== lang ? e.reason_lang : null,
  }));
}

import type { Knex } from 'knex';
import type { Lang } from '../i18n.ts';
import { addJob } from '../jobs.ts';

export const emailTemplates = [
  'new-opportunity',
  // The mailing list's double opt-in (src/subscriptions/): the link, or "already subscribed".
  'subscription-confirmation',
  'subscription-already',
  'confirm-email',
  'reset-password',
  'account-exists',
  // Instead of a reset link, for someone who must use the department's sign-in.
  'department-sign-in',
  'staff-invitation',
  'staff-invitation-supplier',
  'role-grant-proposed',
  'role-grant-confirmed',
  'deadline-passed',
  'payee-details-changed',
  // The daily digest of a person's overdue queue lines (src/queues/digest.ts), if asked for.
  'queue-digest',
  // The offer of a contract in the draw order, and the outcomes (src/offers/).
  'offer-selected',
  'offer-declined',
  'offer-lapsed',
  'offer-accepted',
  'offer-awarded',
  'offer-exhausted',
  'outcome-not-drawn',
  'outcome-not-qualified',
  'outcome-no-qualified',
  // A supplier's application (src/applications/).
  'application-received',
  'deadline-reminder',
  // The closing reminder to the suppliers who watch an opportunity (src/questions/).
  'watch-closing-reminder',
  // A PayPal payout that reached the supplier (src/payments/paypal/).
  'paypal-payout-paid',
  // Section 33 by card (src/payments/): the supplier paid; reminders on the prompt-payment
  // clock (sent by the payments' own job, not through notify()).
  'card-payment-made',
  'payment-reminder',
  // Delivery and acceptance of the work (src/delivery/).
  'delivery-received',
  'delivery-acknowledged',
  'delivery-review-reminder',
  'revisions-requested',
  'work-accepted',
  // Notices about a request or opportunity, through src/lifecycle/notify.ts.
  'request-submitted',
  'request-returned',
  'request-declined',
  'funds-approval-needed',
  'translation-needed',
  'preview-ready',
  'ready-to-publish',
  'opportunity-published',
  'question-asked',
  'question-answered',
  'answer-published',
  'addendum-published',
  'funds-release-requested',
  'request-cancelled',
  'override-confirmed',
  // The evaluation (src/evaluation/): a person named evaluator, an evaluation returned.
  'evaluator-named',
  'evaluation-returned',
  // The contract under way (src/contracts/): a message, a risk flagged, the midpoint missed, an
  // extension, a termination, and finance asked for the funds when the opportunity ends.
  'contract-message',
  'contract-at-risk',
  'contract-midpoint-missed',
  'contract-extended',
  'contract-terminated',
  'contract-funds-release',
  'contract-no-one-left',
  // The invoice (src/invoices/): received (the supplier's acknowledgment, the section 34 queue),
  // and the fund reservation that followed its total or could not.
  'invoice-received',
  'invoice-to-certify',
  'reservation-raised',
  'reservation-short',
  // Section 34 (src/certification/): certified (finance pays, the supplier is told), returned.
  'payment-to-make',
  'invoice-certified',
  'invoice-returned',
] as const;
export type EmailTemplate = (typeof emailTemplates)[number];

export interface OutgoingEmail {
  /** Same key, same message: a retried transaction or a double click never sends twice. */
  idempotencyKey: string;
  template: EmailTemplate;
  to: string;
  /** The recipient's language, shown first; null when unknown (English first). */
  language: Lang | null;
  /** The recipient chose `language` for their emails: that language alone, not both. */
  languageOnly?: boolean;
  data: Record<string, unknown>;
  /** Not before this instant (an announcement waits for the opening); now by default. */
  sendAt?: Date;
}

/** The job that delivers one outbox row; its key makes a second one for the same row replace it. */
export const DELIVER_EMAIL = 'deliver-email';
export const deliveryJobKey = (outboxId: number) => `${DELIVER_EMAIL}:${outboxId}`;

/** Attempts before an email is marked failed; with the queue's backoff, about 16 hours. */
export const MAX_ATTEMPTS = 12;

/**
 * Queues an email in the caller's transaction, with the job that delivers it at its time, so both
 * exist only if the change it reports does. `now` comes from the app's clock.
 */
export async function enqueueEmail(
  trx: Knex | Knex.Transaction,
  email: OutgoingEmail,
  now: Date,
): Promise<void> {
  if (!trx.isTransaction) {
    await trx.transaction((inner) => enqueueEmail(inner, email, now));
    return;
  }
  const sendAt = email.sendAt && email.sendAt > now ? email.sendAt : now;
  const [queued]: { id: number }[] = await trx('outbox')
    .insert({
      created_at: now,
      next_attempt_at: sendAt,
      idempotency_key: email.idempotencyKey,
      template: email.template,
      recipient: email.to,
      language: email.language,
      language_only: email.languageOnly === true && email.language !== null,
      data: JSON.stringify(email.data),
    })
    .onConflict('idempotency_key')
    .ignore()
    .returning('id');
  // Already queued under this key: its job exists too.
  if (!queued) return;
  await scheduleDelivery(trx as Knex.Transaction, queued.id, sendAt);
}

export function scheduleDelivery(trx: Knex.Transaction, outboxId: number, at: Date): Promise<void> {
  return addJob(trx, {
    task: DELIVER_EMAIL,
    payload: { outboxId },
    runAt: at,
    key: deliveryJobKey(outboxId),
    maxAttempts: MAX_ATTEMPTS,
  });
}

/**
 * Withdraws messages not sent yet whose key starts with `keyPrefix` (e.g. an announcement
 * waiting for an opening that will not happen), in the caller's transaction.
 */
export async function withdrawPendingEmails(
  trx: Knex | Knex.Transaction,
  keyPrefix: string,
): Promise<number> {
  return trx('outbox')
    .where({ status: 'pending' })
    .andWhere('idempotency_key', 'like', `${keyPrefix.replace(/[\\%_]/g, '\\$&')}%`)
    .delete();
}

export interface OutboxRow {
  id: number;
  idempotency_key: string;
  template: EmailTemplate;
  recipient: string;
  language: Lang | null;
  language_only: boolean;
  data: Record<string, unknown>;
  /** Withdrawn: not sent after all (its recipient left the mailing list; see delivery.ts). */
  status: 'pending' | 'sent' | 'failed' | 'withdrawn';
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
}

import type { Logger } from 'pino';
import type { Db } from '../db/knex.ts';
import type { Clock } from '../platform/clock.ts';
import type { JobDefinitions } from '../platform/jobs.ts';
import type { Role } from '../platform/roles.ts';
import { dayOfPaymentClock } from './clock.ts';
import { reminderKey, sendReminder } from './emails.ts';

const REMIND_PAYERS = 'remind-prompt-payment';

/** The days of the prompt-payment clock (30 days) on which the approvers are reminded. */
const REMINDER_DAYS = [10, 20, 25] as const;

/** The latest reminder day reached on `day` of the clock, if any (a late sweep sends one). */
function reminderDayFor(day: number): number | undefined {
  return [...REMINDER_DAYS].reverse().find((d) => day >= d && day < 30);
}

const waiting: Record<'submitted' | 'certified', { role: Role; duty: 'certify' | 'pay' }> = {
  submitted: { role: 'section34_manager', duty: 'certify' },
  certified: { role: 'finance_officer', duty: 'pay' },
};

/**
 * Reminds whoever the invoice waits for on days 10, 20 and 25 of its prompt-payment clock: the
 * department's section 34 managers while it is submitted, its finance officers while it is
 * certified and unpaid. A sweep on the app's clock; each reminder has its own key in the outbox
 * (invoice, day, person), so a second sweep the same day, or after a restart, sends nothing new.
 * Returns how many were queued this time.
 */
export async function remindPromptPayment(db: Db, clock: Clock): Promise<number> {
  const now = clock.now();
  return db.transaction(async (trx) => {
    const invoices = await trx('invoices as i')
      .join('opportunities as o', 'o.id', 'i.opportunity_id')
      .leftJoin('invoice_certifications as c', 'c.invoice_id', 'i.id')
      .whereIn('i.status', Object.keys(waiting))
      .whereNotExists((q) =>
        q
          .from('payments as m')
          .whereRaw('m.invoice_id = i.id')
          .whereIn('m.status', ['pending', 'sent', 'paid', 'confirmed']),
      )
      .select(
        'c.certified_by',
        'i.id',
        'i.status',
        'i.department_id',
        'i.invoice_number',
        'i.payment_due_on',
        'o.reference',
      );
    let queued = 0;
    for (const invoice of invoices) {
      const day = reminderDayFor(dayOfPaymentClock(invoice.payment_due_on, now));
      if (day === undefined) continue;
      const { role, duty } = waiting[invoice.status as keyof typeof waiting];
      const people = await trx('role_grants as g')
        .join('users as u', 'u.id', 'g.user_id')
        .where({ 'g.role': role, 'g.department_id': invoice.department_id })
        .whereNull('g.revoked_at')
        .whereNull('u.closed_at')
        // The invoice's certifier never pays it (sections 33 and 34): not reminded to.
        .modify((q) => {
          if (invoice.certified_by) q.whereNot('u.id', invoice.certified_by);
        })
        .distinct('u.email as email', 'u.preferred_language as language');
      for (const to of people) {
        const reminder = {
          invoiceId: Number(invoice.id),
          day,
          to,
          duty,
          reference: invoice.reference,
          invoiceNumber: invoice.invoice_number,
          dueOn: invoice.payment_due_on,
        };
        const sent = await trx('outbox')
          .where({ idempotency_key: reminderKey(reminder) })
          .first('id');
        if (sent) continue;
        await sendReminder(trx, reminder, now);
        queued += 1;
      }
    }
    return queued;
  });
}

/** The payments' part of the job runner: the prompt-payment reminders, swept every hour. */
export function paymentJobs(deps: { db: Db; clock: Clock; logger: Logger }): JobDefinitions {
  return {
    tasks: {
      [REMIND_PAYERS]: async () => {
        const reminded = await remindPromptPayment(deps.db, deps.clock);
        if (reminded > 0) deps.logger.info({ reminded }, 'prompt-payment reminders queued');
      },
    },
    schedule: { [REMIND_PAYERS]: '17 * * * *' },
  };
}

import type { Logger } from 'pino';
import type { Transporter } from 'nodemailer';
import type { Db } from '../../db/knex.ts';
import type { Clock } from '../clock.ts';
import type { Attempt, JobDefinitions } from '../jobs.ts';
import type { Knex } from 'knex';
import {
  DELIVER_EMAIL,
  MAX_ATTEMPTS,
  scheduleDelivery,
  type EmailTemplate,
  type OutboxRow,
} from './outbox.ts';
import type { EmailRenderer } from './render.ts';

/**
 * A feature's last word on one of its messages, asked in the sending transaction just before it
 * goes (the platform knows no feature, so the feature hands this in): withdraw it — its recipient
 * left the mailing list since it was queued — or send it with data and headers made now, such as
 * a one-click unsubscribe link made for this message alone.
 */
export type SendCheck = (trx: Knex.Transaction, email: OutboxRow) => Promise<SendDecision>;
type SendDecision =
  | { send: false; reason: string }
  | { send: true; data?: Record<string, unknown>; headers?: Record<string, string> };

export type SendChecks = Partial<Record<EmailTemplate, SendCheck>>;

const RESCHEDULE_LOST = 'reschedule-lost-emails';

/**
 * A pending email this long past its time has lost its job (deleted, failed for good while the
 * row stayed pending, or queued before there were jobs): the sweep gives it a new one. Its own
 * job, retrying on the queue's backoff, is never raced within this margin.
 */
const LOST_AFTER_MS = 5 * 60_000;

interface DeliveryDeps {
  db: Db;
  transport: Transporter;
  renderer: EmailRenderer;
  clock: Clock;
  logger: Logger;
  from: string;
  /** By template: checked before each message of that template is sent. */
  checks?: SendChecks;
}

/**
 * Mail delivery's part of the job runner: one job per email, at its time, and a sweep every
 * minute for any pending email whose job was lost.
 */
export function mailDelivery(deps: DeliveryDeps): JobDefinitions {
  return {
    tasks: {
      [DELIVER_EMAIL]: (payload, attempt) => deliverEmail(deps, outboxIdOf(payload), attempt),
      [RESCHEDULE_LOST]: async () => {
        await rescheduleLostEmails(deps.db, deps.clock);
      },
    },
    schedule: { [RESCHEDULE_LOST]: '* * * * *' },
  };
}

function outboxIdOf(payload: unknown): number {
  const id = (payload as { outboxId?: unknown } | null)?.outboxId;
  if (typeof id !== 'number') throw new Error(`not an outbox id: ${JSON.stringify(payload)}`);
  return id;
}

/**
 * Sends one outbox row if it is still pending. The row is locked (SKIP LOCKED) while it is sent,
 * so two processes — or a job and the sweep's replacement — never send it twice; a crash mid-send
 * rolls back and the row stays pending. A failure is recorded on the row and thrown, so the queue
 * retries with its backoff; the last attempt marks the row failed instead.
 */
async function deliverEmail(deps: DeliveryDeps, outboxId: number, attempt: Attempt): Promise<void> {
  const { db, transport, renderer, clock, logger, from } = deps;
  const failure = await db.transaction(async (trx) => {
    const row: OutboxRow | undefined = await trx('outbox')
      .where({ id: outboxId, status: 'pending' })
      .first()
      .forUpdate()
      .skipLocked();
    // Sent, failed, withdrawn, or being sent right now by another process.
    if (!row) return undefined;
    try {
      const decision = (await deps.checks?.[row.template]?.(trx, row)) ?? { send: true };
      if (!decision.send) {
        await trx('outbox')
          .where({ id: row.id })
          .update({ status: 'withdrawn', last_error: decision.reason });
        return undefined;
      }
      const email = renderer.render(
        row.template,
        row.language,
        { ...row.data, ...decision.data },
        row.language_only,
      );
      await transport.sendMail({
        from,
        to: row.recipient,
        subject: email.subject,
        html: email.html,
        text: email.text,
        headers: { ...decision.headers, 'X-Idempotency-Key': row.idempotency_key },
      });
      await trx('outbox')
        .where({ id: row.id })
        .update({ status: 'sent', sent_at: clock.now(), attempts: row.attempts + 1 });
      return undefined;
    } catch (error) {
      const attempts = row.attempts + 1;
      const retryAt = attempt.retryAt();
      const giveUp = attempts >= MAX_ATTEMPTS;
      logger.warn({ err: error, outboxId: row.id, attempts }, 'email not sent');
      await trx('outbox')
        .where({ id: row.id })
        .update({
          attempts,
          status: giveUp ? 'failed' : 'pending',
          last_error: String(error instanceof Error ? error.message : error).slice(0, 1000),
          // The queue decides when; the row shows it (and the sweep waits for it).
          next_attempt_at: retryAt ?? clock.now(),
        });
      return giveUp ? undefined : error;
    }
  });
  if (failure) throw failure;
}

/** Gives a new job to each pending email well past its time; returns how many. */
export async function rescheduleLostEmails(db: Db, clock: Clock, batchSize = 100): Promise<number> {
  const now = clock.now();
  return db.transaction(async (trx) => {
    const lost: { id: number }[] = await trx('outbox')
      .where('status', 'pending')
      .andWhere('next_attempt_at', '<=', new Date(now.getTime() - LOST_AFTER_MS))
      .orderBy('id')
      .limit(batchSize)
      .forUpdate()
      .skipLocked()
      .select('id');
    for (const { id } of lost) await scheduleDelivery(trx, id, now);
    // Moved on, so the next sweep leaves them to their new job.
    if (lost.length > 0) {
      await trx('outbox')
        .whereIn(
          'id',
          lost.map((row) => row.id),
        )
        .update({ next_attempt_at: now });
    }
    return lost.length;
  });
}

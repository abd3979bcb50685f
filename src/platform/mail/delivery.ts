import type { Logger } from 'pino';
import type { Transporter } from 'nodemailer';
import type { Db } from '../../db/knex.ts';
import type { Clock } from '../clock.ts';
import type { OutboxRow } from './outbox.ts';
import type { EmailRenderer } from './render.ts';
import { periodicTask, type PeriodicTask } from '../periodic.ts';

export const MAX_ATTEMPTS = 8;

/** 30 s, 1 min, 2 min … capped at one hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(attempts - 1, 0), 3_600_000);
}

/** runOnce() sends what is due and returns how many were sent; safe with several processes. */
export type MailWorker = PeriodicTask;

export function createMailWorker(deps: {
  db: Db;
  transport: Transporter;
  renderer: EmailRenderer;
  clock: Clock;
  logger: Logger;
  from: string;
  batchSize?: number;
}): MailWorker {
  const { db, transport, renderer, clock, logger, from, batchSize = 20 } = deps;
  async function runOnce(): Promise<number> {
    return db.transaction(async (trx) => {
      // SKIP LOCKED: two app processes never claim the same row; a crash mid-send rolls back.
      const due: OutboxRow[] = await trx('outbox')
        .where('status', 'pending')
        .andWhere('next_attempt_at', '<=', clock.now())
        .orderBy('id')
        .limit(batchSize)
        .forUpdate()
        .skipLocked();
      let sent = 0;
      for (const row of due) {
        try {
          const email = renderer.render(row.template, row.language, row.data);
          await transport.sendMail({
            from,
            to: row.recipient,
            subject: email.subject,
            html: email.html,
            text: email.text,
            headers: { 'X-Idempotency-Key': row.idempotency_key },
          });
          await trx('outbox')
            .where({ id: row.id })
            .update({ status: 'sent', sent_at: clock.now(), attempts: row.attempts + 1 });
          sent += 1;
        } catch (error) {
          const attempts = row.attempts + 1;
          logger.warn({ err: error, outboxId: row.id, attempts }, 'email not sent');
          await trx('outbox')
            .where({ id: row.id })
            .update({
              attempts,
              status: attempts >= MAX_ATTEMPTS ? 'failed' : 'pending',
              last_error: String(error instanceof Error ? error.message : error).slice(0, 1000),
              next_attempt_at: new Date(clock.now().getTime() + retryDelayMs(attempts)),
            });
        }
      }
      return sent;
    });
  }

  return periodicTask('mail worker', runOnce, logger, 2_000);
}

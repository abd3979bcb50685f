import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInFailureSweep } from '../../src/accounts/housekeeping.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { HOUSEKEEPING, housekeepingJobs } from '../../src/platform/housekeeping.ts';
import { addJob, createJobRunner } from '../../src/platform/jobs.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

/**
 * M9: expired sessions, expired rate-limit windows and old failed sign-ins are deleted by the
 * housekeeping job, which the queue's cron runs every quarter of an hour. Here the job is added
 * as the cron adds it and run on the job clock.
 */

const AT = new Date('2026-12-04T19:00:00Z');
const minutes = (n: number) => new Date(AT.getTime() + n * 60_000);
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.drop();
});

const keys = async (table: string, column: string) =>
  (await database.db(table).orderBy(column).pluck(column)) as unknown[];

describe('the housekeeping job (M9)', () => {
  it('deletes what has expired at the job’s time, and keeps the rest', async () => {
    const db = database.db;
    await db('sessions').insert([
      { sid: 'expired', data: '{}', expires_at: minutes(-1) },
      { sid: 'just-now', data: '{}', expires_at: AT },
      { sid: 'live', data: '{}', expires_at: minutes(30) },
    ]);
    await db('rate_limits').insert([
      { key: 'sign-in:old', hits: 3, reset_at: minutes(-5) },
      { key: 'sign-in:current', hits: 1, reset_at: minutes(10) },
    ]);
    await db('sign_in_failures').insert([
      { email_key: 'old@example.com', at: minutes(-25 * 60) },
      { email_key: 'recent@example.com', at: minutes(-20) },
    ]);

    const clock = fixedClock(AT);
    const logger = pino({ level: 'silent' });
    const runner = createJobRunner({
      connectionString: database.url,
      clock,
      logger,
      jobs: [housekeepingJobs({ db, clock, logger, sweeps: [signInFailureSweep(db)] })],
    });
    await db.transaction((trx) => addJob(trx, { task: HOUSEKEEPING, payload: {}, runAt: AT }));
    // Not due a minute before.
    expect(await runner.runDueJobs(minutes(-1))).toBe(0);
    expect(await runner.runDueJobs(AT)).toBe(1);

    expect(await keys('sessions', 'sid')).toEqual(['live']);
    expect(await keys('rate_limits', 'key')).toEqual(['sign-in:current']);
    expect(await keys('sign_in_failures', 'email_key')).toEqual(['recent@example.com']);
  });

  it('is on the queue’s schedule', () => {
    const jobs = housekeepingJobs({
      db: database.db,
      clock: fixedClock(AT),
      logger: pino({ level: 'silent' }),
    });
    expect(Object.keys(jobs.tasks)).toEqual([HOUSEKEEPING]);
    expect(jobs.schedule).toEqual({ [HOUSEKEEPING]: '*/15 * * * *' });
  });
});

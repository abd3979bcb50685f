import { EventEmitter } from 'node:events';
import {
  Logger as QueueLogger,
  parseCronItems,
  run,
  runOnce,
  type Job,
  type Runner,
  type TaskList,
  type WorkerEvents,
} from 'graphile-worker';
import type { Knex } from 'knex';
import type { Clock } from './clock.ts';
import type { Logger } from './logger.ts';

/**
 * Timers and background work on graphile-worker: a job is a row in PostgreSQL, added in the
 * transaction of the change that causes it, taken by one process at a time (SKIP LOCKED), retried
 * with the queue's exponential backoff when its task throws. Owners (mail delivery, the closing
 * of opportunities) declare their tasks; server.ts hands them all to one runner.
 */

/** What a task is told about the attempt it is making. */
export interface Attempt {
  /** 1 for the first. */
  number: number;
  /**
   * When the queue will run the job again if this attempt throws, by its backoff
   * (exp(min(attempts, 10)) seconds after now); null on the last attempt.
   */
  retryAt(): Date | null;
}

type JobTask = (payload: unknown, attempt: Attempt) => Promise<void>;

/** An owner's part of the runner: its tasks, and those of them the queue's cron runs. */
export interface JobDefinitions {
  tasks: Record<string, JobTask>;
  /** Task name → crontab pattern, e.g. a sweep every minute as a safety net. */
  schedule?: Record<string, string>;
}

export interface NewJob {
  task: string;
  payload: Record<string, unknown>;
  /** An instant of the app's clock: the job runs when it has passed. */
  runAt: Date;
  /** At most one waiting job per key: adding one with the same key replaces it (run_at too). */
  key?: string;
  maxAttempts?: number;
}

/**
 * Adds a job in the caller's transaction, so it exists only if the change that causes it commits.
 * `runAt` is always given: the database's own now() is not the app's clock in a test.
 */
export async function addJob(trx: Knex.Transaction, job: NewJob): Promise<void> {
  await trx.raw(
    'select graphile_worker.add_job(?, ?::json, run_at => ?::timestamptz, max_attempts => ?::int, job_key => ?::text)',
    [job.task, JSON.stringify(job.payload), job.runAt, job.maxAttempts ?? null, job.key ?? null],
  );
}

const RESTART_AFTER_MS = 5_000;

export interface JobRunner {
  /** Takes due jobs as they come (LISTEN/NOTIFY, polling as a fallback) and runs the schedule. */
  start(): Promise<void>;
  /** Lets the jobs in progress finish, then stops. */
  stop(): Promise<void>;
  /**
   * Runs every job due at `at` — an instant of the app's clock, which in a test is not the
   * database's — one at a time, until none is left, and returns how many succeeded. The schedule
   * is not run: a sweep is called by its owner's own function.
   */
  runDueJobs(at: Date): Promise<number>;
}

export function createJobRunner(deps: {
  connectionString: string;
  clock: Clock;
  logger: Logger;
  jobs: readonly JobDefinitions[];
  concurrency?: number;
}): JobRunner {
  const { connectionString, clock, logger, concurrency = 2 } = deps;
  const tasks = Object.assign({}, ...deps.jobs.map((owner) => owner.tasks)) as Record<
    string,
    JobTask
  >;
  const schedule = Object.entries(
    Object.assign({}, ...deps.jobs.map((owner) => owner.schedule ?? {})) as Record<string, string>,
  );
  const queueLogger = toQueueLogger(logger);
  let running: Promise<Runner> | undefined;
  let restart: NodeJS.Timeout | undefined;
  let stopped = true;

  function startRunning(): Promise<Runner> {
    return run({
      connectionString,
      maxPoolSize: concurrency + 2,
      concurrency,
      noHandleSignals: true,
      logger: queueLogger,
      taskList: queueTasks(tasks, () => clock.now()),
      parsedCronItems: parseCronItems(
        schedule.map(([task, match]) => ({
          task,
          match,
          identifier: task,
          // One waiting run per sweep, never a backlog of missed minutes: the next minute's
          // run replaces one that failed, and a sweep does all that is due anyway.
          options: { backfillPeriod: 0, maxAttempts: 1, jobKey: `schedule:${task}` },
        })),
      ),
    });
  }

  /**
   * The queue stops its workers when the database stays out of reach past its own retries; the
   * app goes on serving pages, so the runner is started again a little later, until it holds.
   */
  function launch(): Promise<Runner> {
    const attempt = startRunning();
    running = attempt;
    const again = (error: unknown) => {
      if (stopped || running !== attempt) return;
      logger.error({ err: error }, 'job runner stopped; starting it again in 5 s');
      running = undefined;
      restart = setTimeout(() => {
        restart = undefined;
        if (!stopped) launch().catch(() => undefined);
      }, RESTART_AFTER_MS);
    };
    attempt.then((runner) => runner.promise.then(() => again(undefined), again), again);
    return attempt;
  }

  return {
    async start() {
      stopped = false;
      await (running ?? launch());
    },
    async stop() {
      stopped = true;
      clearTimeout(restart);
      const current = running;
      running = undefined;
      // A stop during start-up waits for it, so nothing is left running.
      const runner = await current?.catch(() => undefined);
      // One that stopped by itself has nothing left to stop.
      await runner?.stop().catch(() => undefined);
    },
    async runDueJobs(at) {
      // The queue compares run_at with now(), unqualified, in its SQL. These sessions put the
      // job_clock schema before pg_catalog, so now() there is the instant given (see the
      // job_clock migration): the queue's own code picks, locks, retries and backs off on the
      // app's time, and nothing else in the app reads that clock.
      const sessions = new URL(connectionString);
      sessions.searchParams.set(
        'options',
        `-c search_path=job_clock,pg_catalog,public -c job_clock.at=${at.toISOString()}`,
      );
      const events = new EventEmitter() as WorkerEvents;
      let succeeded = 0;
      events.on('job:success', () => {
        succeeded += 1;
      });
      await runOnce({
        connectionString: sessions.toString(),
        noHandleSignals: true,
        logger: queueLogger,
        events,
        taskList: queueTasks(tasks, () => at),
      });
      return succeeded;
    },
  };
}

function queueTasks(tasks: Record<string, JobTask>, now: () => Date): TaskList {
  return Object.fromEntries(
    Object.entries(tasks).map(([name, task]) => [
      name,
      (payload: unknown, helpers: { job: Job }) => task(payload, attemptOf(helpers.job, now)),
    ]),
  );
}

function attemptOf(job: Job, now: () => Date): Attempt {
  return {
    number: job.attempts,
    retryAt() {
      if (job.attempts >= job.max_attempts) return null;
      // graphile-worker's failure: run_at = greatest(now(), run_at) + exp(least(attempts, 10)) s.
      // Rounded up: the first millisecond (the app's clock has no finer) at which it is due.
      const from = Math.max(now().getTime(), new Date(job.run_at).getTime());
      return new Date(Math.ceil(from + Math.exp(Math.min(job.attempts, 10)) * 1000));
    },
  };
}

function toQueueLogger(logger: Logger): QueueLogger {
  return new QueueLogger((scope) => (level, message, meta) => {
    // Only the error's own words: the queue's metadata can hold a pg client, with its password.
    const error = meta?.error;
    const fields = {
      ...scope,
      ...(error instanceof Error
        ? { err: { message: error.message, code: (error as { code?: unknown }).code } }
        : {}),
    };
    if (level === 'error') logger.error(fields, message);
    else if (level === 'warning') logger.warn(fields, message);
    // The queue's info lines (a worker connected, a job completed) are routine.
    else logger.debug(fields, message);
  });
}

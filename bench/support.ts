import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { createDatabaseIfMissing } from '../src/db/database.ts';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { createDb, type Db } from '../src/db/knex.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { seedDemoOnce } from '../src/demo/loader.ts';
import { systemClock } from '../src/platform/clock.ts';
import { createTranslator } from '../src/platform/i18n.ts';
import { createLogger } from '../src/platform/logger.ts';
import { createEmailRenderer } from '../src/platform/mail/render.ts';
import { PageCache } from '../src/platform/page-cache.ts';
import { createViews } from '../src/platform/views.ts';

export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  // As root, embedded PostgreSQL runs as 'postgres', which must be able to enter it.
  await chmod(dir, 0o755);
  return dir;
}

export function startProcess(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): ChildProcess {
  // Its own process group, so a stop reaches npm, tsx and the server alike (as Ctrl+C does).
  return spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
}

/** Polls until the URL answers 200; returns the milliseconds since `since`. */
export async function waitFor200(url: string, since: number, timeoutMs = 60_000): Promise<number> {
  while (performance.now() - since < timeoutMs) {
    try {
      const res = await fetch(url);
      if (res.status === 200) return performance.now() - since;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}

/** Signals the whole process group; resolves with the exit code (or the signal's name). */
export async function stop(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<number | string | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, killedBy) => resolve(code ?? killedBy)),
  );
  process.kill(-(child.pid ?? 0), signal);
  return exited;
}

/** Resident memory of a process and its children's share is not counted: the server alone. */
export function rssMegabytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return Math.round((kb / 1024) * 10) / 10;
}

/** Waits until a file is gone, e.g. postmaster.pid once PostgreSQL has shut down. */
export async function waitForGone(file: string, timeoutMs = 15_000): Promise<void> {
  const started = performance.now();
  while (existsSync(file)) {
    if (performance.now() - started > timeoutMs) throw new Error(`${file} still there`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A migrated database on its own embedded PostgreSQL, in a new temporary folder. */
export async function benchDatabase(prefix: string, poolSize: number) {
  const dir = await tempDir(prefix);
  const postgres = await startEmbeddedPostgres(path.join(dir, 'pg'), { durable: false });
  await createDatabaseIfMissing(postgres.url('postgres'), 'bench');
  const databaseUrl = postgres.url('bench');
  const db = createDb(databaseUrl, poolSize);
  await migrateToLatest(db);
  return { dir, postgres, databaseUrl, db };
}

/** The demo data, replayed through the real actions as the first `npm start` does. */
export async function loadDemo(db: Db, databaseUrl: string, password: string): Promise<void> {
  const config = loadConfig({ NODE_ENV: 'development', DATABASE_URL: databaseUrl });
  const translator = await createTranslator();
  const views = createViews();
  await seedDemoOnce(
    {
      config,
      db,
      clock: systemClock,
      logger: createLogger('warn'),
      translator,
      views,
      pageCache: new PageCache(0, systemClock),
      emailRenderer: createEmailRenderer(views, translator, config.PUBLIC_URL),
    },
    password,
  );
}

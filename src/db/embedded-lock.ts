import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, readlink, realpath, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { StartupProblem } from './startup-problem.ts';

/**
 * An app killed without its shutdown (SIGKILL, a crash, a closed terminal) leaves its embedded
 * PostgreSQL running, or at least its postmaster.pid, and the next start would fail with "lock
 * file already exists". Before starting, this looks at the lock: a PostgreSQL serving this data
 * folder whose app is gone is stopped; a lock whose process is gone (or is another program now) is
 * removed; a PostgreSQL whose app still runs is left alone, and the start stops with a message.
 * Each start records the app's pid beside the lock (OWNER_FILE), which is how "its app" is known.
 */

const OWNER_FILE = 'embedded-postgres-owner.pid';
const STOP_WAIT_MS = 15_000;

interface ProcessInfo {
  parent: number;
  command: string;
  /** The process's working folder: PostgreSQL's is its data folder. Linux only. */
  folder?: string;
}

const run = promisify(execFile);

async function processInfo(pid: number): Promise<ProcessInfo | undefined> {
  if (!isRunning(pid)) return undefined;
  if (existsSync('/proc/self/stat')) {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const command = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ');
      const folder = await readlink(`/proc/${pid}/cwd`).catch(() => undefined);
      return { parent, command, folder };
    } catch {
      return undefined;
    }
  }
  // macOS and the BSDs: no /proc.
  try {
    const { stdout } = await run('ps', ['-o', 'ppid=', '-o', 'command=', '-p', String(pid)]);
    const [parent, ...command] = stdout.trim().split(' ');
    return parent ? { parent: Number(parent), command: command.join(' ').trim() } : undefined;
  } catch {
    return undefined;
  }
}

/** Does `pid` run (a zombie, exited but not yet reaped, does not)? */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it runs, as a user we may not signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A process that has exited but that nobody has reaped yet (a container without an init) is
  // still signalled without error: on Linux, its state says so.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

async function readPid(file: string): Promise<number | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  const pid = Number(text?.split('\n')[0]?.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Is this PostgreSQL's postmaster, serving `databaseDir`? */
async function servesFolder(info: ProcessInfo, databaseDir: string): Promise<boolean> {
  const program = info.command.split(' ')[0] ?? '';
  if (path.basename(program) !== 'postgres') return false;
  if (info.folder) return info.folder === (await realpath(databaseDir));
  return info.command.includes(`-D ${databaseDir}`);
}

async function stopOrphan(pid: number): Promise<void> {
  // SIGINT is PostgreSQL's fast shutdown: it ends what is left of the dead app's connections.
  try {
    process.kill(pid, 'SIGINT');
  } catch (error) {
    throw new StartupProblem(
      `PostgreSQL (pid ${pid}) was left running by an app that did not shut down, and this user may not stop it (${(error as NodeJS.ErrnoException).code}): stop it (kill ${pid}) and start again.`,
    );
  }
  for (const deadline = Date.now() + STOP_WAIT_MS; Date.now() < deadline;) {
    if (!isRunning(pid)) return;
    await sleep(50);
  }
  throw new StartupProblem(
    `PostgreSQL (pid ${pid}), left running by an app that did not shut down, did not stop within ${STOP_WAIT_MS / 1000} s: stop it (kill ${pid}) and start again.`,
  );
}

/**
 * Clears what a killed app left on `databaseDir`, before PostgreSQL starts there; returns one line
 * saying what was done, or undefined when nothing was in the way.
 */
export async function recoverFromKilledApp(databaseDir: string): Promise<string | undefined> {
  const lock = path.join(databaseDir, 'postmaster.pid');
  if (!existsSync(lock)) return undefined;
  const pid = await readPid(lock);
  const info = pid === undefined ? undefined : await processInfo(pid);
  if (pid === undefined || !info || !(await servesFolder(info, databaseDir))) {
    await rm(lock, { force: true });
    return pid === undefined || !info
      ? `removed ${lock}, left by a PostgreSQL that no longer runs${pid ? ` (pid ${pid})` : ''}`
      : `removed ${lock}: its pid ${pid} is another program now`;
  }
  const owner = await readPid(path.join(databaseDir, OWNER_FILE));
  const parent = await processInfo(info.parent);
  // The app that started it still runs. Without a record (a start by an older version), a node
  // parent is taken to be that app.
  const appRuns = owner !== undefined ? info.parent === owner : /node/.test(parent?.command ?? '');
  if (appRuns) {
    throw new StartupProblem(
      `PostgreSQL (pid ${pid}) on ${databaseDir} belongs to an app that is still running (pid ${info.parent}): stop that app first, or give this one another DATA_DIR.`,
    );
  }
  await stopOrphan(pid);
  return `stopped PostgreSQL (pid ${pid}) left running on ${databaseDir} by an app that did not shut down${owner ? ` (pid ${owner})` : ''}`;
}

/**
 * Was `databaseDir` left by an app that is gone? Its recorded app no longer runs; or, with no
 * record, nothing has touched the folder for `quietMs` (a start in progress has no record yet).
 */
export async function abandoned(databaseDir: string, quietMs: number): Promise<boolean> {
  const owner = await readPid(path.join(databaseDir, OWNER_FILE));
  if (owner !== undefined) return !isRunning(owner);
  const info = await stat(databaseDir)
    .catch(() => stat(path.dirname(databaseDir)))
    .catch(() => undefined);
  return info !== undefined && Date.now() - info.mtimeMs > quietMs;
}

/** Records this process as the app that started PostgreSQL on `databaseDir`. */
export async function recordOwner(databaseDir: string): Promise<void> {
  await writeFile(path.join(databaseDir, OWNER_FILE), `${process.pid}\n`);
}

export async function forgetOwner(databaseDir: string): Promise<void> {
  await rm(path.join(databaseDir, OWNER_FILE), { force: true });
}

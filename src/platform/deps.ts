import type { Config } from '../config.ts';
import type { Db } from '../db/knex.ts';
import type { Clock } from './clock.ts';
import type { Translator } from './i18n.ts';
import type { Logger } from './logger.ts';
import type { EmailRenderer } from './mail/render.ts';
import type { PageCache } from './page-cache.ts';
import type { Views } from './views.ts';

/**
 * What the app is built from, made once at start-up (or by a test) and handed down: it lives
 * here, below the features, so that no feature imports the app that assembles them.
 */
export interface AppDeps {
  config: Config;
  db: Db;
  clock: Clock;
  logger: Logger;
  translator: Translator;
  views: Views;
  pageCache: PageCache;
  emailRenderer: EmailRenderer;
}

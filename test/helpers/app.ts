import type { Express } from 'express';
import { pino } from 'pino';
import { createApp } from '../../src/app.ts';
import type { AppDeps } from '../../src/platform/deps.ts';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/knex.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { createTranslator } from '../../src/platform/i18n.ts';
import { createEmailRenderer } from '../../src/platform/mail/render.ts';
import { PageCache } from '../../src/platform/page-cache.ts';
import { createViews } from '../../src/platform/views.ts';

export interface TestApp {
  app: Express;
  deps: AppDeps;
  clock: ReturnType<typeof fixedClock>;
  /** Keys i18next could not find while rendering, as `lang:key`. */
  missingKeys: string[];
}

export const TEST_NOW = '2026-11-23T15:00:00Z';

export async function createTestApp(
  db: Db,
  options: { now?: string; env?: NodeJS.ProcessEnv; cacheSeconds?: number } = {},
): Promise<TestApp> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...options.env });
  const clock = fixedClock(options.now ?? TEST_NOW);
  const missingKeys: string[] = [];
  const translator = await createTranslator((lang, key) => missingKeys.push(`${lang}:${key}`));
  const views = createViews();
  const deps: AppDeps = {
    config,
    db,
    clock,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    translator,
    views,
    pageCache: new PageCache((options.cacheSeconds ?? 0) * 1000, clock),
    emailRenderer: createEmailRenderer(views, translator, config.PUBLIC_URL),
  };
  return { app: createApp(deps), deps, clock, missingKeys };
}

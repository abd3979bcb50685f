import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { afterAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createDb, type Db } from '../../src/db/knex.ts';
import { fromRoot } from '../../src/platform/paths.ts';
import { productionEnv, startApp, stopApp, type AppProcess } from '../helpers/cluster.ts';

/** Two instances started at once on an empty database, as a first deployment does. */

const name = `cluster_fresh_${randomBytes(4).toString('hex')}`;
const admin = createDb(inject('adminDatabaseUrl'), 1);
let db: Db | undefined;
const apps: AppProcess[] = [];

afterAll(async () => {
  await Promise.all(apps.map(stopApp));
  await db?.destroy();
  await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.destroy();
});

it('two processes starting at once on a fresh database run each migration once', async () => {
  await admin.raw(`CREATE DATABASE ${name}`);
  const url = new URL(inject('adminDatabaseUrl'));
  url.pathname = `/${name}`;
  const env = productionEnv(url.toString());
  const started = await Promise.allSettled([startApp(env), startApp(env)]);
  for (const result of started) if (result.status === 'fulfilled') apps.push(result.value);
  expect(started.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled']);

  db = createDb(url.toString(), 1);
  const ours = (await readdir(fromRoot('migrations'))).filter((f) => /^\d{14}_.+\.ts$/.test(f));
  const applied: { name: string; times: number }[] = await db('knex_migrations')
    .select('name')
    .count({ times: '*' })
    .groupBy('name');
  expect(applied.filter((m) => m.times > 1)).toEqual([]);
  expect(applied).toHaveLength(ours.length);
  const queue: { times: number }[] = await db
    .withSchema('graphile_worker')
    .from('migrations')
    .select('id')
    .count({ times: '*' })
    .groupBy('id');
  expect(queue.filter((m) => m.times > 1)).toEqual([]);
  const ready = await Promise.all(
    apps.map(async (app) => (await fetch(`${app.origin}/readyz`)).status),
  );
  expect(ready).toEqual([200, 200]);
  console.log(
    `migrations: two processes started together, ready in ${apps.map((app) => app.readyMs).join(' and ')} ms; knex_migrations ${applied.length} of ${ours.length} files, none twice; job queue migrations ${queue.length}, none twice`,
  );
});

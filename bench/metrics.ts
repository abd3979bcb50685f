/**
 * Load benchmark of the metrics pages (issue 14, "How well"): the demo data plus 5,000 generated
 * opportunities, each with the nine status events of a file published, closed and cancelled
 * (45,000 events, the volume the SQL aggregates read), written in one transaction so the
 * database's status-needs-an-event check holds. The app runs in this process on loopback;
 * prints req/s, p50 and p99 of /healthz, the cached public page and the staff page (signed in
 * as the demo client). Targets: staff p99 < 200 ms; cached public ≥ 50% of /healthz's req/s.
 */
import autocannon from 'autocannon';
import type { AddressInfo } from 'node:net';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { systemClock } from '../src/platform/clock.ts';
import { createTranslator } from '../src/platform/i18n.ts';
import { createLogger } from '../src/platform/logger.ts';
import { createEmailRenderer } from '../src/platform/mail/render.ts';
import { PageCache } from '../src/platform/page-cache.ts';
import { createViews } from '../src/platform/views.ts';
import { benchDatabase, loadDemo } from './support.ts';
import { cycleTimes } from '../src/metrics/cycle-times.ts';
import { mainFigures } from '../src/metrics/repo.ts';
import { selfIdentificationSummary } from '../src/self-identification/repo.ts';

const CONNECTIONS = 20;
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
const GENERATED = 5_000;
const PASSWORD = 'metrics benchmark passphrase';

const { postgres, databaseUrl, db } = await benchDatabase('metrics-bench-', 10);
await loadDemo(db, databaseUrl, PASSWORD);

const steps = [
  ['create', null, 'draft'],
  ['submit', 'draft', 'submitted'],
  ['screen', 'submitted', 'screened'],
  ['approve_funds', 'screened', 'funds_approved'],
  ['complete_translation', 'funds_approved', 'translated'],
  ['approve_preview', 'translated', 'ready'],
  ['publish', 'ready', 'published'],
  ['close', 'published', 'closed'],
  ['cancel', 'closed', 'cancelled'],
] as const;
await db.transaction(async (trx) => {
  const template = await trx('opportunities').orderBy('id').first('id');
  const columns: string[] = (
    await trx.raw(
      `SELECT column_name FROM information_schema.columns
       WHERE table_name = 'opportunities' AND is_generated = 'NEVER' AND column_default IS DISTINCT FROM 'nextval(''opportunities_id_seq''::regclass)'
         AND column_name NOT IN ('id', 'reference', 'status', 'opens_at', 'closes_at', 'preview_token_hash', 'preview_nonce')`,
    )
  ).rows.map((r: { column_name: string }) => r.column_name);
  const list = columns.map((c) => `"${c}"`).join(', ');
  await trx.raw(
    `CREATE TEMP TABLE generated ON COMMIT DROP AS
     WITH made AS (
       INSERT INTO opportunities (reference, status, ${list})
       SELECT 'MA-2025-' || lpad(n::text, 4, '0'), 'cancelled', ${list}
       FROM opportunities, generate_series(1, ?) AS n WHERE id = ?
       RETURNING id, department_id
     ) SELECT * FROM made`,
    [GENERATED, template.id],
  );
  // Each file's steps a few days apart, spread over two fiscal years.
  for (const [i, [action, from, to]] of steps.entries()) {
    await trx.raw(
      `INSERT INTO events (entity_type, entity_id, opportunity_id, department_id, from_state, to_state, action, payload, at)
       SELECT 'opportunity', g.id, g.id, g.department_id, ?, ?, ?, '{}',
         timestamptz '2025-04-01 12:00+00' + (g.id % 600) * interval '1 day' + ? * (1 + g.id % 5) * interval '1 day'
       FROM generated g`,
      [from, to, action, i],
    );
  }
});
await db.raw('ANALYZE');

const config = loadConfig({
  NODE_ENV: 'development',
  DATABASE_URL: databaseUrl,
  LOG_LEVEL: 'warn',
});
const translator = await createTranslator();
const views = createViews();
const app = createApp({
  config,
  db,
  clock: systemClock,
  logger: createLogger('warn'),
  translator,
  views,
  pageCache: new PageCache(60_000, systemClock),
  emailRenderer: createEmailRenderer(views, translator, config.PUBLIC_URL),
});
const server = app.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/** Signs the demo client in through the form; returns the session cookie. */
async function signIn(): Promise<string> {
  const form = await fetch(`${origin}/en/sign-in`);
  const cookie = (form.headers.getSetCookie() ?? []).map((c) => c.split(';')[0]).join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const res = await fetch(`${origin}/en/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: 'client@esdc.example.ca', password: PASSWORD, _csrf: csrf }),
  });
  const session = (res.headers.getSetCookie() ?? []).map((c) => c.split(';')[0]).join('; ');
  if (res.status !== 303 || !session) throw new Error(`sign-in answered ${res.status}`);
  return session;
}
const cookie = await signIn();
const everything = { departmentId: null, from: null, before: null };
for (const [name, query] of [
  ['mainFigures', () => mainFigures(db, everything)],
  ['cycleTimes', () => cycleTimes(db, everything)],
  ['selfIdentificationSummary', () => selfIdentificationSummary(db, { winnersOnly: true })],
] as const) {
  const started = performance.now();
  await query();
  console.log(`${name}: ${Math.round(performance.now() - started)} ms`);
}
// The staff page's exports too, once each (one SQL query a file over the whole history).
for (const path of [
  '/en/staff/metrics',
  '/en/metrics',
  '/en/staff/metrics/opportunities.csv',
  '/en/staff/metrics/applications.csv',
  '/en/staff/metrics/payments.csv',
  '/en/staff/metrics/low-dollar-value-contracts-by-quarter.csv',
]) {
  const started = performance.now();
  const res = await fetch(origin + path, { headers: { cookie } });
  await res.text();
  console.log(`one ${path}: ${res.status} in ${Math.round(performance.now() - started)} ms`);
}

const routes: { name: string; path: string; headers?: Record<string, string> }[] = [
  { name: '/healthz', path: '/healthz' },
  { name: '/en/metrics (cached)', path: '/en/metrics' },
  { name: '/en/staff/metrics (signed in)', path: '/en/staff/metrics', headers: { cookie } },
  // A signed-in page with no figures: what any staff page costs (session, person, layout).
  { name: '/en/account (signed in, baseline)', path: '/en/account', headers: { cookie } },
  {
    name: '/en/staff/metrics?year=2025',
    path: '/en/staff/metrics?year=2025',
    headers: { cookie },
  },
];
const rows: { route: string; rps: number; p50: number; p99: number; errors: number }[] = [];
for (const r of routes) {
  const options = { url: origin + r.path, connections: CONNECTIONS, headers: r.headers };
  await autocannon({ ...options, duration: 2 });
  const result = await autocannon({ ...options, duration: DURATION_S });
  rows.push({
    route: r.name,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
  });
}

const healthz = rows[0]!.rps;
console.log(
  `\nMetrics pages, ${GENERATED} generated opportunities (+ demo), ${CONNECTIONS} connections, ${DURATION_S} s each`,
);
console.log(
  'route'.padEnd(34),
  'req/s'.padStart(7),
  'p50 ms'.padStart(7),
  'p99 ms'.padStart(7),
  '% healthz'.padStart(10),
  'errors'.padStart(7),
);
for (const row of rows) {
  console.log(
    row.route.padEnd(34),
    String(row.rps).padStart(7),
    String(row.p50).padStart(7),
    String(row.p99).padStart(7),
    `${Math.round((row.rps / healthz) * 100)}%`.padStart(10),
    String(row.errors).padStart(7),
  );
}
const staff = rows[2]!;
const cached = rows[1]!;
console.log(`staff p99 ${staff.p99} ms (target < 200): ${staff.p99 < 200 ? 'met' : 'NOT met'}`);
console.log(
  `cached public ${Math.round((cached.rps / healthz) * 100)}% of /healthz (target ≥ 50%): ${cached.rps >= healthz / 2 ? 'met' : 'NOT met'}`,
);
// In-flight requests finish before the pool closes.
await new Promise((resolve) => server.close(resolve));
await db.destroy();
await postgres.stop();

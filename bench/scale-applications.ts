/**
 * Scale (issue 11): with 2,000 opportunities and 50,000 applications in the database, the three
 * pages that read many applications answer with p99 < 100 ms against the production build
 * (`npm run build`, then `node dist/src/server.js`) on loopback:
 *
 * - "My applications" of a supplier with many applications (BENCH_MINE, 200 by default);
 * - the evaluator's page of an opportunity with many applications (BENCH_BIG, 500), every
 *   decision recorded, before the lock;
 * - the public draw page of that opportunity once the lock has drawn them all.
 *
 * The measured opportunity is made through the lifecycle (test/helpers/scenarios.ts: published,
 * closed by the closing job, declared, locked by the service); the bulk around it is loaded in
 * SQL with generate_series, consistent as the lifecycle would leave it: each opportunity cloned
 * from the measured one as a draft with its event, given a fund reservation, then published with
 * its event; each application with its 'submit' event (the deferred trigger of
 * 20261201000700_status_needs_event checks every one at commit), its answers and its draw
 * fingerprint (the formula the database checks). Nothing is disabled.
 *
 * Each page is asked BENCH_REQUESTS times (400) by autocannon, BENCH_CONNECTIONS at a time (2:
 * the page's own time, not a queue on the 2 cores); the baseline of
 * the same run is /healthz. Prints p50/p99 against the target.
 */
import { existsSync } from 'node:fs';
import autocannon from 'autocannon';
import { hashPassword } from '../src/accounts/passwords.ts';
import { freePort } from '../src/db/embedded.ts';
import { declareNoConflict, lockEvaluation } from '../src/evaluation/service.ts';
import { fromRoot } from '../src/platform/paths.ts';
import { createTestApp } from '../test/helpers/app.ts';
import { insertDepartment } from '../test/helpers/fixtures.ts';
import { insertPerson } from '../test/helpers/people.ts';
import { currentUserOf } from '../test/helpers/scenario-people.ts';
import { close } from '../test/helpers/scenario-steps.ts';
import { aPublishedOpportunity } from '../test/helpers/scenarios.ts';
import { startProcess, stop, waitFor200, benchDatabase } from './support.ts';

const OPPORTUNITIES = Number(process.env.BENCH_OPPORTUNITIES ?? 2000);
const APPLICATIONS = Number(process.env.BENCH_APPLICATIONS ?? 50_000);
const BIG = Number(process.env.BENCH_BIG ?? 500);
const MINE = Number(process.env.BENCH_MINE ?? 200);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 2);
const TARGET_P99 = 100;
const PASSWORD = 'scale bench passphrase';
const DRAW_KEY = 'c'.repeat(64);
const DAY_MS = 24 * 60 * 60 * 1000;

const server = fromRoot('dist/src/server.js');
if (!existsSync(server)) throw new Error('run `npm run build` first: no dist/src/server.js');

const loadStarted = performance.now();
const { dir, postgres, databaseUrl, db } = await benchDatabase('marketplace-scale-', 4);
const now = new Date();
const t = await createTestApp(db, {
  now: now.toISOString(),
  env: { DRAW_KEY, DATA_DIR: dir, DATABASE_URL: databaseUrl },
});

// 1. The measured opportunity, through the lifecycle: published two weeks ago, closing in a minute.
const department = await insertDepartment(db);
const client = await insertPerson(db, {
  email: 'client@scale.example.gc.ca',
  password: PASSWORD,
  grants: [{ role: 'client', department }],
  confirmedAt: now,
});
const closesAt = new Date(now.getTime() + 60_000);
const big = await aPublishedOpportunity(t, {
  department,
  requester: client,
  opensAt: new Date(now.getTime() - 14 * DAY_MS),
  closesAt,
});

// 2. The suppliers: one with many applications, and enough for the rest (one per opportunity each).
const hash = await hashPassword(PASSWORD);
const PER_OPPORTUNITY = Math.ceil((APPLICATIONS - BIG - MINE) / OPPORTUNITIES);
const supplierCount = Math.max(BIG, PER_OPPORTUNITY * 100);
await db.raw(
  `INSERT INTO users (email, kind, display_name, preferred_language, password_hash, email_confirmed_at)
   SELECT 'supplier' || g || '@scale.example.com', 'supplier', 'Supplier ' || g,
     CASE WHEN g % 3 = 0 THEN 'fr' ELSE 'en' END, ?, ?
   FROM generate_series(0, ?) g`,
  [hash, now, supplierCount],
);
await db.raw(
  `INSERT INTO supplier_profiles (user_id, legal_name, accepts_card)
   SELECT id, display_name, true FROM users WHERE email LIKE '%@scale.example.com'`,
);
const supplierId = async (n: number) =>
  Number(
    (
      await db('users')
        .where({ email: `supplier${n}@scale.example.com` })
        .first('id')
    ).id,
  );
const mine = await supplierId(supplierCount);

// 3. The other opportunities, cloned from the measured one: draft + event, reservation, published + event.
const columns = async (table: string, except: string[]) =>
  (
    await db('information_schema.columns')
      .where({ table_name: table, table_schema: 'public' })
      .whereRaw(`is_generated = 'NEVER'`)
      .select('column_name')
  )
    .map((c: { column_name: string }) => c.column_name)
    .filter((c) => !except.includes(c));
const opportunityColumns = await columns('opportunities', [
  'id',
  'reference',
  'status',
  'version',
  'closes_at',
  'preview_token_hash',
  'preview_nonce',
  'title_en',
  'title_fr',
]);
const list = (cs: string[]) => cs.map((c) => `"${c}"`).join(', ');
await db.transaction(async (trx) => {
  await trx.raw(`CREATE TEMP TABLE bulk_opportunities (id bigint) ON COMMIT DROP`);
  await trx.raw(
    `WITH made AS (
       INSERT INTO opportunities (${list(opportunityColumns)}, reference, status, version, closes_at, title_en, title_fr)
       SELECT ${list(opportunityColumns)}, 'MA-2030-' || lpad(g::text, 4, '0'), 'draft', 1,
         ?::timestamptz + (g || ' hours')::interval, title_en || ' (' || g || ')', title_fr || ' (' || g || ')'
       FROM opportunities, generate_series(1, ?) g WHERE id = ?
       RETURNING id, department_id, requester_id)
     , logged AS (
       INSERT INTO events (entity_type, entity_id, to_state, action, actor_id, opportunity_id, department_id, duty, at)
       SELECT 'opportunity', id, 'draft', 'start', requester_id, id, department_id, NULL, ? FROM made)
     INSERT INTO bulk_opportunities SELECT id FROM made`,
    [new Date(now.getTime() + 30 * DAY_MS), OPPORTUNITIES - 1, big.id, now],
  );
  const reservationColumns = await columns('fund_reservations', [
    'id',
    'opportunity_id',
    'reservation_number',
  ]);
  await trx.raw(
    `INSERT INTO fund_reservations (${list(reservationColumns)}, opportunity_id, reservation_number)
     SELECT ${list(reservationColumns.map((c) => `r.${c}`)).replaceAll('"r.', 'r."')}, b.id, 'FR-BENCH-' || b.id
     FROM fund_reservations r, bulk_opportunities b WHERE r.opportunity_id = ?`,
    [big.id],
  );
  await trx.raw(
    `WITH published AS (
       UPDATE opportunities o SET status = 'published', version = 2
       FROM bulk_opportunities b WHERE o.id = b.id RETURNING o.id, o.department_id)
     INSERT INTO events (entity_type, entity_id, from_state, to_state, action, opportunity_id, department_id, at)
     SELECT 'opportunity', id, 'draft', 'published', 'publish', id, department_id, ? FROM published`,
    [now],
  );
});

// 4. The applications: each submitted, with its event, its answers and its fingerprint.
const attestation = await db('attestation_texts').where({ language: 'en' }).first('id');
async function submitted(pairsSql: string, bindings: unknown[], at: Date) {
  await db.transaction(async (trx) => {
    await trx.raw(`CREATE TEMP TABLE made (id bigint, opportunity_id bigint) ON COMMIT DROP`);
    await trx.raw(
      `WITH pairs AS (${pairsSql}),
       made AS (
         INSERT INTO applications (opportunity_id, department_id, status, version, created_at, updated_at,
           supplier_id, submitted_at, language, attestation_text_id, attestations, pays_by_card, pays_by_paypal)
         SELECT p.opportunity_id, o.department_id, 'submitted', 2, ?, ?, p.supplier_id, ?, 'en', ?,
           '{"majority": true, "status": "citizen", "publicServant": false, "formerPublicServant": false, "conflict": false}',
           true, false
         FROM pairs p JOIN opportunities o ON o.id = p.opportunity_id
         RETURNING id, opportunity_id, department_id, supplier_id)
       , logged AS (
         INSERT INTO events (entity_type, entity_id, from_state, to_state, action, actor_id, opportunity_id, department_id, at)
         SELECT 'application', id, 'draft', 'submitted', 'submit', supplier_id, opportunity_id, department_id, ? FROM made)
       INSERT INTO made SELECT id, opportunity_id FROM made`,
      [...bindings, at, at, at, attestation.id, at],
    );
    await trx.raw(
      `INSERT INTO application_answers (application_id, mandatory_criterion_id, criterion_version, answer, links, updated_at)
       SELECT m.id, c.id, c.version, 'My answer to criterion ' || c.position || ': see the linked work.',
         ARRAY['https://github.com/example/work-' || m.id], ?
       FROM made m JOIN mandatory_criteria c ON c.opportunity_id = m.opportunity_id`,
      [at],
    );
    await trx.raw(
      `WITH refs AS (
         SELECT m.id, m.opportunity_id, o.department_id, o.reference || '-A' || m.id AS reference,
           encode(sha256(convert_to(m.id::text || 'nonce', 'UTF8')), 'hex') AS nonce
         FROM made m JOIN opportunities o ON o.id = m.opportunity_id)
       INSERT INTO draw_fingerprints (opportunity_id, department_id, application_id, reference, nonce, fingerprint, created_at)
       SELECT opportunity_id, department_id, id, reference, nonce,
         encode(sha256(convert_to(reference || ':' || nonce, 'UTF8')), 'hex'), ?
       FROM refs`,
      [at],
    );
  });
}
const anHourAgo = new Date(now.getTime() - 60 * 60 * 1000);
// The measured opportunity's BIG applicants (suppliers 0…BIG-1).
await submitted(
  `SELECT ?::bigint AS opportunity_id, id AS supplier_id FROM users
   WHERE email ~ '^supplier[0-9]+@scale' AND substring(email from '[0-9]+')::int < ?`,
  [big.id, BIG],
  anHourAgo,
);
// The supplier with many applications, one to each of MINE other opportunities.
await submitted(
  `SELECT id AS opportunity_id, ?::bigint AS supplier_id FROM opportunities
   WHERE reference LIKE 'MA-2030-%' ORDER BY id LIMIT ?`,
  [mine, MINE],
  anHourAgo,
);
// The rest: PER_OPPORTUNITY to every other opportunity, by supplier j*100 + (i % 100).
await submitted(
  `SELECT o.id AS opportunity_id, u.id AS supplier_id
   FROM (SELECT id, row_number() OVER (ORDER BY id) AS i FROM opportunities WHERE reference LIKE 'MA-2030-%') o
   CROSS JOIN generate_series(0, ? - 1) j
   JOIN users u ON u.email = 'supplier' || (j * 100 + o.i % 100) || '@scale.example.com'`,
  [PER_OPPORTUNITY],
  anHourAgo,
);

// 5. The measured opportunity closes (the closing job fixes its fingerprint list), its requester
// declares and decides every applicant on every criterion; decisions in bulk, as saved one by one.
const client_ = (await currentUserOf(db, client))!;
t.clock.set(new Date(closesAt.getTime() + 1000));
await close(t, big);
const reference = big.reference;
const declared = await declareNoConflict(t.deps, client_, reference, {
  wording: 'I declare that I have no conflict of interest.',
  language: 'en',
});
if (!declared.ok) throw new Error(`declaration refused: ${JSON.stringify(declared)}`);
const decidedAt = t.clock.now();

const counts = await db.raw(
  `SELECT (SELECT count(*) FROM opportunities) AS opportunities,
     (SELECT count(*) FROM applications) AS applications,
     (SELECT count(*) FROM applications WHERE supplier_id = ?) AS mine,
     (SELECT count(*) FROM applications WHERE opportunity_id = ?) AS big,
     (SELECT count(*) FROM events) AS events`,
  [mine, big.id],
);
const loaded = counts.rows[0];
console.log(
  `loaded in ${Math.round((performance.now() - loadStarted) / 1000)} s: ${loaded.opportunities} opportunities, ${loaded.applications} applications, ${loaded.events} events; the supplier has ${loaded.mine}, ${reference} has ${loaded.big}`,
);
await db.raw('ANALYZE');

// 6. The production build.
const port = await freePort();
const origin = `http://127.0.0.1:${port}`;
const child = startProcess('node', [server], {
  NODE_ENV: 'production',
  DATABASE_URL: databaseUrl,
  PORT: String(port),
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  SESSION_SECRET: 'scale-bench-session-secret-0123456789abcdef',
  DRAW_KEY,
  DATA_DIR: dir,
  DEMO_SEED: 'off',
  TRUST_PROXY: 'loopback',
  // e.g. BENCH_SERVER_NODE_OPTIONS='--cpu-prof --cpu-prof-dir=/tmp/profile' to see where it goes.
  NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS ?? '',
});

async function signedInCookie(email: string): Promise<string> {
  const cookies = new Map<string, string>();
  const send = async (pathname: string, form?: Record<string, string>) => {
    const res = await fetch(origin + pathname, {
      method: form === undefined ? 'GET' : 'POST',
      redirect: 'manual',
      headers: {
        'x-forwarded-proto': 'https',
        cookie: [...cookies].map(([n, v]) => `${n}=${v}`).join('; '),
        ...(form !== undefined && { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      body: form === undefined ? undefined : new URLSearchParams(form).toString(),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return res;
  };
  const page = await (await send('/en/sign-in')).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
  const res = await send('/en/sign-in', { email, password: PASSWORD, _csrf: csrf });
  if (res.status !== 303) throw new Error(`sign-in of ${email} answered ${res.status}`);
  return [...cookies].map(([n, v]) => `${n}=${v}`).join('; ');
}

/**
 * Sequential scans of the tables with more than 1,000 rows, per table, so far: the difference
 * around a page's requests shows which reads no index serves (PostgreSQL flushes its counters
 * within a second; the bench waits that long).
 */
async function seqScans(): Promise<Map<string, number>> {
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const rows: { relname: string; seq_scan: string }[] = (
    await db.raw(
      `SELECT relname, seq_scan FROM pg_stat_user_tables WHERE n_live_tup > 1000 ORDER BY relname`,
    )
  ).rows;
  return new Map(rows.map((r) => [r.relname, Number(r.seq_scan)]));
}

interface Figures {
  name: string;
  p50: number;
  p90: number;
  p99: number;
  scans: string;
  non2xx: number;
  requests: number;
  target: boolean;
}

async function measure(
  name: string,
  pathname: string,
  cookie: string,
  target = true,
): Promise<Figures> {
  const headers = { 'x-forwarded-proto': 'https', ...(cookie && { cookie }) };
  const firstStarted = performance.now();
  const first = await fetch(origin + pathname, { headers, redirect: 'manual' });
  const body = await first.text();
  // The first answer is never from the public pages' cache.
  const firstMs = Math.round(performance.now() - firstStarted);
  if (first.status !== 200) throw new Error(`${pathname} answered ${first.status}`);
  await autocannon({ url: origin + pathname, headers, connections: 4, amount: 40 });
  const before = await seqScans();
  const result = await autocannon({
    url: origin + pathname,
    headers,
    connections: CONNECTIONS,
    amount: REQUESTS,
  });
  const after = await seqScans();
  const scans = [...after]
    .map(([table, n]) => [table, n - (before.get(table) ?? 0)] as const)
    .filter(([, n]) => n > 0)
    .map(([table, n]) => `${table} ${n}`)
    .join(', ');
  console.log(
    `  (${name}: ${Math.round(body.length / 1024)} KB a page; the first request ${firstMs} ms; ${result.requests.average} requests/s; sequential scans of tables over 1,000 rows during the ${REQUESTS} requests: ${scans || 'none'})`,
  );
  return {
    name,
    scans,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    non2xx: result.non2xx + result.errors,
    requests: result.requests.total,
    target,
  };
}

const figures: Figures[] = [];
try {
  await Promise.race([
    waitFor200(`${origin}/readyz`, performance.now()),
    new Promise((_, reject) =>
      child.once('exit', (code) =>
        reject(new Error(`the server ended (${code}): is dist/ built?`)),
      ),
    ),
  ]);
  const supplierCookie = await signedInCookie(`supplier${supplierCount}@scale.example.com`);
  const clientCookie = await signedInCookie('client@scale.example.gc.ca');
  figures.push(await measure('/healthz (baseline)', '/healthz', '', false));
  figures.push(
    await measure(
      `My applications (${loaded.mine} applications)`,
      '/en/account/applications',
      supplierCookie,
    ),
  );
  // The first reading fixes the anonymous order; then every decision is recorded.
  const evaluationPath = `/en/requests/${reference}/evaluation`;
  await fetch(origin + evaluationPath, {
    headers: { cookie: clientCookie, 'x-forwarded-proto': 'https' },
  });
  await db.raw(
    `INSERT INTO evaluation_decisions (opportunity_id, application_id, mandatory_criterion_id, criterion_version, decision, reason, decided_by, decided_at)
     SELECT a.opportunity_id, a.id, c.id, c.version, 'pass',
       'The linked work shows this criterion is met in full.', ?, ?
     FROM applications a JOIN mandatory_criteria c ON c.opportunity_id = a.opportunity_id
     WHERE a.opportunity_id = ?`,
    [client, decidedAt, big.id],
  );
  figures.push(
    await measure(
      `Evaluator's page (${loaded.big} applicants, all decided)`,
      evaluationPath,
      clientCookie,
    ),
  );
  const row = await db('opportunities').where({ id: big.id }).first('version');
  const lockStarted = performance.now();
  const locked = await lockEvaluation(t.deps, client_, reference, row.version);
  if (!locked.ok) throw new Error(`lock refused: ${JSON.stringify(locked)}`);
  console.log(
    `  (the lock drew ${locked.value.passed} in ${Math.round(performance.now() - lockStarted)} ms, in-process)`,
  );
  figures.push(
    await measure(
      `Public draw page (${loaded.big} ranked)`,
      `/en/opportunities/${reference}/draw`,
      '',
    ),
  );
} finally {
  const exitCode = await stop(child);
  await db.destroy();
  await postgres.stop();
  if (exitCode !== 0) console.log(`server exit code: ${exitCode}`);
}

console.log(
  `\nScale: ${loaded.opportunities} opportunities, ${loaded.applications} applications, production build on loopback, ${REQUESTS} requests each (autocannon, ${CONNECTIONS} connections)`,
);
let ok = true;
for (const f of figures) {
  const met = !f.target || f.p99 < TARGET_P99;
  ok &&= met && f.non2xx === 0;
  console.log(
    `${f.name.padEnd(52)} p50 ${String(f.p50).padStart(4)} ms  p90 ${String(f.p90).padStart(4)} ms  p99 ${String(f.p99).padStart(4)} ms  non-2xx ${f.non2xx}${f.target ? `  (target p99 < ${TARGET_P99} ms${met ? '' : ' ← missed'})` : ''}`,
  );
}
process.exitCode = ok ? 0 : 1;

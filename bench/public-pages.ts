/**
 * Load benchmark of the public pages against the production build on loopback.
 * Prints req/s, p50 and p99 for each route and its ratio to /healthz measured in the same run,
 * then the server's resident memory. Targets (issue 3): every page ≥ 50% of /healthz's req/s,
 * p99 < 100 ms, RSS < 150 MB.
 */
import autocannon from 'autocannon';
import { freePort } from '../src/db/embedded.ts';
import { fromRoot } from '../src/platform/paths.ts';
import {
  rssMegabytes,
  startProcess,
  stop,
  waitFor200,
  benchDatabase,
  loadDemo,
} from './support.ts';

const CONNECTIONS = 50;
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);

const { postgres, databaseUrl, db } = await benchDatabase('marketplace-bench-', 2);
await loadDemo(db, databaseUrl, 'benchmark passphrase');
const [reference] = await db('opportunities')
  .where('status', 'published')
  .orderBy('closes_at')
  .pluck('reference');
await db.destroy();

const port = await freePort();
const origin = `http://127.0.0.1:${port}`;
const server = startProcess(process.execPath, [fromRoot('dist/src/server.js')], {
  NODE_ENV: 'production',
  DATABASE_URL: databaseUrl,
  PORT: String(port),
  HOST: '127.0.0.1',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  SESSION_SECRET: 'benchmark-session-secret-0123456789abcdef',
  // Production refuses to start without the draw's key (src/draw/key.ts).
  DRAW_KEY: 'd'.repeat(64),
  // Flags for the server alone (the load generator runs in this process).
  NODE_OPTIONS: process.env.SERVER_NODE_OPTIONS ?? '',
});
await waitFor200(`${origin}/readyz`, performance.now());
const idleRss = rssMegabytes(server.pid ?? 0);

const routes = [
  '/healthz',
  '/en/opportunities',
  '/fr/occasions',
  `/en/opportunities/${reference}`,
  '/api/v1/opportunities',
];
interface Row {
  route: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}
const rows: Row[] = [];
for (const route of routes) {
  await autocannon({ url: origin + route, connections: CONNECTIONS, duration: 2 }); // warm-up
  const result = await autocannon({
    url: origin + route,
    connections: CONNECTIONS,
    duration: DURATION_S,
  });
  rows.push({
    route,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
  });
}
const rss = rssMegabytes(server.pid ?? 0);
const exitCode = await stop(server);
await postgres.stop();

const baseline = rows[0]?.rps ?? 1;
console.log(
  `\nautocannon -c ${CONNECTIONS} -d ${DURATION_S}s, production build, Node ${process.version}, loopback`,
);
console.log(
  'route'.padEnd(36) +
    'req/s'.padStart(9) +
    'p50 ms'.padStart(9) +
    'p99 ms'.padStart(9) +
    ' vs /healthz'.padStart(13) +
    'errors'.padStart(8),
);
let ok = true;
for (const row of rows) {
  const ratio = row.rps / baseline;
  const pass = row.route === '/healthz' || (ratio >= 0.5 && row.p99 < 100 && row.errors === 0);
  ok &&= pass;
  console.log(
    row.route.padEnd(36) +
      String(row.rps).padStart(9) +
      String(row.p50).padStart(9) +
      String(row.p99).padStart(9) +
      `${Math.round(ratio * 100)}%`.padStart(13) +
      String(row.errors).padStart(8) +
      (pass ? '' : '  ← misses target'),
  );
}
console.log(`server RSS idle after start: ${idleRss} MB`);
console.log(
  `server RSS at the end: ${rss} MB (target < 150 MB)${rss < 150 ? '' : '  ← misses target'}`,
);
console.log(`graceful shutdown exit code: ${exitCode}`);
process.exitCode = ok && rss < 150 && exitCode === 0 ? 0 : 1;

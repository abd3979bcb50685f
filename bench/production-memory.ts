/**
 * Production settings under full load: the Node options of `npm run start:prod` (read from
 * package.json, the one place they are written; the Dockerfile's NODE_OPTIONS must say the same)
 * against no options, in the same run.
 *
 * Full load = the public pages as a mix: every cached public page in both languages (home, the
 * list, each public opportunity, its draw page and calendar, the guide, about, privacy, metrics,
 * open data, the Atom feed, the awarded-contracts CSV) and the open data API (list and each
 * opportunity), cycled by each of 50 autocannon connections. No signed-in pages.
 *
 * Fairness on a noisy shared machine: both servers (A = no options, B = the production options)
 * run side by side on the same database for the whole run, and the load goes to one at a time in
 * short segments, A B B A then B A A B and so on: the machine's capacity swings with the other
 * work on it over tens of seconds (an A-against-A run here saw 10 s segments from 154 to 579
 * req/s), so many short alternating segments let both see the same machine. Req/s is over all of
 * a configuration's segments; p99 is the median of its segments' p99.
 * Resident memory (VmRSS of /proc/<pid>/status) of each server is sampled every 100 ms by a
 * worker thread (not delayed by the load generator's event loop) from start to end; the peak and
 * the value at the end are printed.
 *
 * Targets (issue 15, item 3): B's peak RSS < 256 MiB, B's req/s ≥ 90% of A's, no errors, and the
 * Dockerfile's NODE_OPTIONS equal to start:prod's options. A miss prints FAIL and exits 1.
 * BENCH_SECONDS (per segment, default 3) and BENCH_ROUNDS (of A B B A or B A A B, default 6) change it;
 * BENCH_TRY_OPTIONS="--opt=1 …" measures other options as B, to choose new ones (then it fails the
 * start:prod check, since it measured what does not ship).
 */
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import autocannon from 'autocannon';
import { freePort } from '../src/db/embedded.ts';
import { publicStatuses } from '../src/opportunities/states.ts';
import { fromRoot } from '../src/platform/paths.ts';
import { url, type PageName } from '../src/platform/routes.ts';
import { API_BASE } from '../src/api/present.ts';
import { benchDatabase, loadDemo, startProcess, stop, waitFor200 } from './support.ts';

const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const RSS_LIMIT_MIB = 256;
const MIN_RATIO = 0.9;

/** The options between `node` and the server in start:prod, e.g. `node --a=1 dist/src/server.js`. */
function productionOptions(): string[] {
  const pkg = JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const words = (pkg.scripts['start:prod'] ?? '').split(' ').filter(Boolean);
  if (words[0] !== 'node' || words.at(-1) !== 'dist/src/server.js') {
    throw new Error(`start:prod is not "node <options> dist/src/server.js": ${words.join(' ')}`);
  }
  return words.slice(1, -1);
}

/** The NODE_OPTIONS the image sets, if the Dockerfile has one `ENV NODE_OPTIONS="…"` line. */
function imageOptions(): string | undefined {
  const dockerfile = readFileSync(fromRoot('Dockerfile'), 'utf8');
  return /^ENV NODE_OPTIONS="([^"]*)"$/m.exec(dockerfile)?.[1];
}

const shipped = productionOptions();
const tried = process.env.BENCH_TRY_OPTIONS?.split(' ').filter(Boolean);
const options = tried ?? shipped;
const inImage = imageOptions();

const { postgres, databaseUrl, db } = await benchDatabase('marketplace-memory-', 2);
await loadDemo(db, databaseUrl, 'benchmark passphrase');
const references: string[] = await db('opportunities')
  .whereIn('status', publicStatuses)
  .where('opens_at', '<=', new Date())
  .orderBy('reference')
  .pluck('reference');
const drawn: string[] = await db('draw_commitments')
  .join('opportunities', 'opportunities.id', 'draw_commitments.opportunity_id')
  .whereIn('opportunities.reference', references)
  .pluck('opportunities.reference');
await db.destroy();

const pagesOnce: PageName[] = [
  'home',
  'opportunities',
  'supplierGuide',
  'about',
  'privacy',
  'metrics',
  'openData',
  'opportunitiesFeed',
  'awardedContractsCsv',
];
const paths: string[] = [`${API_BASE}/opportunities`];
for (const lang of ['en', 'fr'] as const) {
  for (const name of pagesOnce) paths.push(url(name, {}, lang));
  for (const ref of references) {
    paths.push(url('opportunity', { ref }, lang), url('opportunityCalendar', { ref }, lang));
  }
  for (const ref of drawn) paths.push(url('drawResults', { ref }, lang));
}
for (const ref of references) paths.push(`${API_BASE}/opportunities/${encodeURIComponent(ref)}`);

interface Server {
  label: string;
  options: string[];
  origin: string;
  pid: number;
  stop: () => Promise<number | string | null>;
}

/** What to stop if the bench fails half-way, so no server or PostgreSQL outlives it. */
const toStop: (() => Promise<unknown>)[] = [() => postgres.stop()];
process.once('uncaughtException', (error) => {
  console.error(error);
  void Promise.allSettled(toStop.reverse().map((stopIt) => stopIt())).then(() => process.exit(1));
});

async function startServer(label: string, nodeOptions: string[]): Promise<Server> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const child = startProcess(process.execPath, [...nodeOptions, fromRoot('dist/src/server.js')], {
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    SESSION_SECRET: 'benchmark-session-secret-0123456789abcdef',
    DRAW_KEY: 'd'.repeat(64),
    // Only the command line's options: none inherited from whoever runs the bench.
    NODE_OPTIONS: '',
  });
  toStop.push(() => stop(child));
  await waitFor200(`${origin}/readyz`, performance.now(), 120_000);
  return { label, options: nodeOptions, origin, pid: child.pid ?? 0, stop: () => stop(child) };
}

const servers = [await startServer('A', []), await startServer('B', options)];

// The sampler: a worker thread reading each server's VmRSS every 100 ms.
const sampler = new Worker(
  `const { parentPort, workerData } = require('node:worker_threads');
   const { readFileSync } = require('node:fs');
   const peak = {}, last = {};
   let samples = 0, maxGap = 0, before = performance.now();
   function sample() {
     const now = performance.now();
     maxGap = Math.max(maxGap, now - before);
     before = now;
     samples++;
     for (const pid of workerData.pids) {
       const kb = Number(/VmRSS:\\s+(\\d+)/.exec(readFileSync('/proc/' + pid + '/status', 'utf8'))[1]);
       last[pid] = kb;
       peak[pid] = Math.max(peak[pid] ?? 0, kb);
     }
   }
   sample();
   const timer = setInterval(sample, 100);
   parentPort.on('message', () => {
     clearInterval(timer);
     sample();
     parentPort.postMessage({ peak, last, samples, maxGap });
   });`,
  { eval: true, workerData: { pids: servers.map((s) => s.pid) } },
);

interface Segment {
  requests: number;
  seconds: number;
  p99: number;
  errors: number;
}
const segments = new Map<string, Segment[]>(servers.map((s) => [s.label, []]));

async function load(server: Server, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: server.origin,
    connections: CONNECTIONS,
    duration: seconds,
    requests: paths.map((path) => ({ method: 'GET', path })),
  });
}

// Warm-up, not counted: throughput climbs for the first ten seconds or so of load (the JIT, the
// page cache, PostgreSQL's buffers), which segments alone would not share evenly.
for (const server of servers) await load(server, 10);
const order: string[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const [first, second] = round % 2 === 0 ? servers : [...servers].reverse();
  for (const server of [first, second, second, first]) {
    if (!server) continue;
    const result = await load(server, SECONDS);
    order.push(`${server.label} ${Math.round(result.requests.total / result.duration)}`);
    segments.get(server.label)?.push({
      requests: result.requests.total,
      seconds: result.duration,
      p99: result.latency.p99,
      errors: result.non2xx + result.errors + result.timeouts,
    });
  }
}

const rss = await new Promise<{
  peak: Record<number, number>;
  last: Record<number, number>;
  samples: number;
  maxGap: number;
}>((resolve) => {
  sampler.once('message', resolve);
  sampler.postMessage('report');
});
await sampler.terminate();
const exitCodes = [];
for (const server of servers) exitCodes.push(await server.stop());
await postgres.stop();

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
const mib = (kb: number | undefined) => Math.round(((kb ?? NaN) / 1024) * 10) / 10;
const figures = servers.map((server) => {
  const parts = segments.get(server.label) ?? [];
  const requests = parts.reduce((sum, s) => sum + s.requests, 0);
  const seconds = parts.reduce((sum, s) => sum + s.seconds, 0);
  return {
    server,
    rps: Math.round(requests / seconds),
    p99: median(parts.map((s) => s.p99)),
    errors: parts.reduce((sum, s) => sum + s.errors, 0),
    peak: mib(rss.peak[server.pid]),
    end: mib(rss.last[server.pid]),
  };
});
const [a, b] = figures;
if (!a || !b) throw new Error('two configurations expected');
const ratio = b.rps / a.rps;

console.log(
  `\nproduction settings: public pages mix (${paths.length} addresses), autocannon -c ${CONNECTIONS}, ` +
    `${ROUNDS * 2} × ${SECONDS} s per configuration, production build, Node ${process.version}`,
);
console.log(
  'configuration'.padEnd(58) +
    'req/s'.padStart(8) +
    'p99 ms'.padStart(8) +
    'errors'.padStart(8) +
    'peak MiB'.padStart(10) +
    'end MiB'.padStart(9),
);
for (const f of figures) {
  const name = `${f.server.label}: ${f.server.options.join(' ') || 'no options'}`;
  console.log(
    name.padEnd(58) +
      String(f.rps).padStart(8) +
      String(f.p99).padStart(8) +
      String(f.errors).padStart(8) +
      String(f.peak).padStart(10) +
      String(f.end).padStart(9),
  );
}
console.log(`req/s of each segment, in order: ${order.join(', ')}`);
console.log(
  `RSS sampled ${rss.samples} times (longest gap ${Math.round(rss.maxGap)} ms); ` +
    `graceful shutdown exit codes: ${exitCodes.join(', ')}`,
);

const checks: [string, boolean][] = [
  [`B peak RSS ${b.peak} MiB < ${RSS_LIMIT_MIB} MiB`, b.peak < RSS_LIMIT_MIB],
  [`B/A throughput ${Math.round(ratio * 1000) / 10}% ≥ ${MIN_RATIO * 100}%`, ratio >= MIN_RATIO],
  [`no errors (A ${a.errors}, B ${b.errors})`, a.errors === 0 && b.errors === 0],
  [`B ran start:prod's options${tried ? ' (no: BENCH_TRY_OPTIONS)' : ''}`, !tried],
  [
    `Dockerfile NODE_OPTIONS "${inImage ?? '(none)'}" = start:prod's "${shipped.join(' ')}"`,
    inImage === shipped.join(' '),
  ],
];
for (const [what, ok] of checks) console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
process.exitCode = checks.every(([, ok]) => ok) && exitCodes.every((c) => c === 0) ? 0 : 1;

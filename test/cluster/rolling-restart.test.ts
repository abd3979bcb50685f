import http from 'node:http';
import autocannon from 'autocannon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  productionEnv,
  startApp,
  startProxy,
  stopApp,
  type AppProcess,
  type Proxy,
} from '../helpers/cluster.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

/**
 * A new version rolled out one instance at a time while visitors keep coming: SIGTERM to one,
 * its successor started on the same port once it has gone, then the other.
 */

const CONNECTIONS = 50;
/** deploy/nginx.conf's fail_timeout: how long nginx leaves out an instance that refused it. */
const FAIL_TIMEOUT_MS = 2_000;

let database: TestDatabase;
let proxy: Proxy;
const apps: AppProcess[] = [];
let env: ReturnType<typeof productionEnv>;

beforeAll(async () => {
  database = await createTestDatabase();
  env = productionEnv(database.url);
  apps.push(...(await Promise.all([startApp(env), startApp(env)])));
  proxy = await startProxy([apps[0]!.port, apps[1]!.port]);
});

afterAll(async () => {
  await proxy?.stop();
  await Promise.all(apps.map(stopApp));
  await database?.drop();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What /readyz says once the instance has been told to stop, asked over keep-alive connections
 * this test opened before (its port takes no new one). An answer begun before the signal arrives
 * is 200 and ends its connection: there are a few to spare.
 */
async function readinessWhileStopping(app: AppProcess, stopping: () => unknown) {
  // node:http's agent takes another open connection when one has ended (fetch would reconnect).
  const agent = new http.Agent({ keepAlive: true });
  const ask = () =>
    new Promise<number>((resolve, reject) => {
      http
        .get(`${app.origin}/readyz`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        })
        .on('error', reject);
    });
  await Promise.all(Array.from({ length: 4 }, ask));
  stopping();
  try {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const status = await ask().catch(() => `no connection left after ${attempt} answers of 200`);
      if (status !== 200) return status;
      await pause(5);
    }
    return 'still 200';
  } finally {
    agent.destroy();
  }
}

it('a rolling restart under 50 connections through nginx loses no request', async () => {
  const started = performance.now();
  let load!: autocannon.Instance;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    load = autocannon(
      {
        url: proxy.origin,
        connections: CONNECTIONS,
        duration: 120,
        // Public pages (cached), the open data API (a query each time) and the health check.
        requests: [
          { method: 'GET', path: '/en/opportunities' },
          { method: 'GET', path: '/api/v1/opportunities' },
          { method: 'GET', path: '/fr/occasions' },
          { method: 'GET', path: '/healthz' },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
  const loadErrors: string[] = [];
  load.on('reqError', (error: Error) => loadErrors.push(error.message));
  let answered = 0;
  const statuses = new Map<number, number>();
  load.on('response', (_client: unknown, status: number) => {
    answered += 1;
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  });
  await pause(2_000);
  const restarts: string[] = [];
  for (const which of [0, 1]) {
    const old = apps[which]!;
    let exiting!: Promise<unknown>;
    let signalled = 0;
    let before = 0;
    const readyz = await readinessWhileStopping(old, () => {
      signalled = performance.now();
      before = answered;
      exiting = stopApp(old);
    });
    const exitCode = await exiting;
    const stoppedMs = Math.round(performance.now() - signalled);
    expect(readyz).toBe(503);
    expect(exitCode).toBe(0);
    apps[which] = await startApp(env, old.port);
    restarts.push(
      `instance ${which + 1}: /readyz ${readyz} once stopping, exit ${exitCode} ${stoppedMs} ms after SIGTERM, successor ready in ${apps[which]!.readyMs} ms, ${answered - before} answered meanwhile`,
    );
    // nginx tries the successor again once the refusals are forgotten.
    await pause(FAIL_TIMEOUT_MS + 1_000);
  }
  load.stop();
  const result = await finished;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  // nginx's error log says what each instance did to the requests it was sent: refused the
  // connection (stopped: nginx went to the other, whatever the method), or cut a request it had
  // been sent (nginx sends a GET again elsewhere; a POST would be a 502).
  const log = proxy.errorLog;
  const noneLeft = log.filter((line) => line.includes('no live upstreams'));
  const cut = log.filter((line) =>
    /while (?:sending request|reading response header|reading upstream)/.test(line),
  );
  const refused = log.filter(
    (line) => line.includes('while connecting to upstream') && !noneLeft.includes(line),
  );
  const otherErrors = log.filter(
    (line) =>
      /\[(?:error|crit|alert|emerg)\]/.test(line) &&
      ![...cut, ...refused, ...noneLeft].includes(line),
  );
  console.log(
    `rolling restart: ${result.requests.total} requests in ${seconds} s (${Math.round(result.requests.average)} req/s, p99 ${result.latency.p99} ms) through nginx, ${CONNECTIONS} connections; errors ${result.errors}, timeouts ${result.timeouts}${loadErrors.length ? ` (${loadErrors.join('; ')})` : ''}, non-2xx ${result.non2xx}; statuses ${JSON.stringify(Object.fromEntries(statuses))}; in-flight requests cut by an instance ${cut.length}, connections refused and sent to the other ${refused.length}\n  ${restarts.join('\n  ')}`,
  );
  expect(result.errors).toBe(0);
  expect(result.timeouts).toBe(0);
  expect(result.non2xx).toBe(0);
  expect(cut).toEqual([]);
  expect(noneLeft).toEqual([]);
  expect(otherErrors).toEqual([]);
  expect(result.requests.total).toBeGreaterThan(1_000);
});

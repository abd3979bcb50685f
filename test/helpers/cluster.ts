import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startProcess, stop, tempDir, waitFor200 } from '../../bench/support.ts';
import { freePort } from '../../src/db/embedded.ts';
import { fromRoot } from '../../src/platform/paths.ts';

/**
 * Production processes of the app (the build in dist/, on this Node) on one database, behind
 * nginx running the shipped deploy/nginx.conf: what test/cluster/ starts.
 */

export interface AppProcess {
  port: number;
  origin: string;
  child: ChildProcess;
  /** Milliseconds from the spawn to /readyz answering 200. */
  readyMs: number;
}

/** What every instance is given, as a department's deployment would give it. */
export function productionEnv(databaseUrl: string, extra: NodeJS.ProcessEnv = {}) {
  return {
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SESSION_SECRET: 'cluster-test-session-secret-0123456789abcdef',
    // Production refuses to start without the draw's key (src/draw/key.ts).
    DRAW_KEY: 'c'.repeat(64),
    // One proxy in front (nginx); the tests also talk to each process directly, as that proxy.
    TRUST_PROXY: '1',
    NODE_OPTIONS: '',
    ...extra,
  };
}

/** Starts `node dist/src/server.js` on `port` (a free one unless given); resolves once ready. */
export async function startApp(env: NodeJS.ProcessEnv, port?: number): Promise<AppProcess> {
  const listenOn = port ?? (await freePort());
  const origin = `http://127.0.0.1:${listenOn}`;
  const started = performance.now();
  const child = startProcess(process.execPath, [fromRoot('dist/src/server.js')], {
    ...env,
    PORT: String(listenOn),
  });
  const exited = new Promise<never>((_resolve, reject) =>
    child.once('exit', (code) => reject(new Error(`app on ${listenOn} exited (${code})`))),
  );
  const readyMs = await Promise.race([waitFor200(`${origin}/readyz`, started), exited]);
  exited.catch(() => undefined);
  return { port: listenOn, origin, child, readyMs: Math.round(readyMs) };
}

/** SIGTERM, as an orchestrator sends it; resolves with the exit code once the process is gone. */
export const stopApp = (app: AppProcess) => stop(app.child, 'SIGTERM');

/**
 * nginx from the machine, installed from Debian's packages when missing and running as root
 * (vitest.cluster.config.ts asks for it before any test, which the installation may outlast).
 */
export function nginxBinary(): string {
  const find = () => ['/usr/sbin/nginx', '/usr/bin/nginx'].find((file) => existsSync(file));
  const found = find();
  if (found) return found;
  if (process.getuid?.() !== 0) {
    throw new Error(
      'test:cluster needs nginx: install it (apt-get install nginx-light) or run as root, which installs it',
    );
  }
  // The package would start Debian's own nginx on port 80: policy-rc.d keeps it stopped.
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = !existsSync(policy);
  if (ownPolicy) {
    writeFileSync(policy, '#!/bin/sh\nexit 101\n');
    chmodSync(policy, 0o755);
  }
  const install = () =>
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'nginx-light'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  try {
    try {
      install();
    } catch {
      execFileSync('apt-get', ['update'], { stdio: 'inherit' });
      install();
    }
  } finally {
    if (ownPolicy) rmSync(policy, { force: true });
  }
  const installed = find();
  if (!installed) throw new Error('nginx-light installed, but no nginx binary found');
  return installed;
}

/** deploy/nginx.conf with its placeholders filled in; a placeholder left over is an error. */
async function renderNginxSite(values: Record<string, string>): Promise<string> {
  const template = await readFile(fromRoot('deploy/nginx.conf'), 'utf8');
  const site = template.replace(/\$\{([A-Z_\d]+)\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`deploy/nginx.conf: nothing for ${whole}`);
    return value;
  });
  return site;
}

export interface Proxy {
  origin: string;
  /** What nginx wrote to its error log so far, line by line (warnings and errors). */
  errorLog: string[];
  stop(): Promise<void>;
}

/**
 * nginx in front of two instances, with the shipped site file. As root its workers run as
 * nobody; its pid, temporary files and logs stay in a temporary folder.
 */
export async function startProxy(upstreams: readonly [number, number]): Promise<Proxy> {
  const nginx = nginxBinary();
  const dir = await tempDir('marketplace-nginx-');
  const port = await freePort();
  const site = await renderNginxSite({
    APP_1: `127.0.0.1:${upstreams[0]}`,
    APP_2: `127.0.0.1:${upstreams[1]}`,
    LISTEN_PORT: `127.0.0.1:${port}`,
  });
  await writeFile(path.join(dir, 'site.conf'), site);
  const temp = (name: string) => path.join(dir, 'temp', name);
  await mkdir(path.join(dir, 'temp'));
  const main = [
    'daemon off;',
    'worker_processes 1;',
    process.getuid?.() === 0 ? 'user nobody nogroup;' : '',
    `pid ${path.join(dir, 'nginx.pid')};`,
    'error_log stderr warn;',
    'events { worker_connections 1024; }',
    'http {',
    '  access_log off;',
    // nginx ends a visitor's connection after 1,000 requests; autocannon has sent its next one by
    // the time it reads that, which comes back as a reset no browser would see.
    '  keepalive_requests 1000000;',
    `  client_body_temp_path ${temp('body')};`,
    `  proxy_temp_path ${temp('proxy')};`,
    `  fastcgi_temp_path ${temp('fastcgi')};`,
    `  uwsgi_temp_path ${temp('uwsgi')};`,
    `  scgi_temp_path ${temp('scgi')};`,
    `  include ${path.join(dir, 'site.conf')};`,
    '}',
  ].join('\n');
  await writeFile(path.join(dir, 'nginx.conf'), main);
  const child = spawn(nginx, ['-e', 'stderr', '-p', dir, '-c', path.join(dir, 'nginx.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const errorLog: string[] = [];
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => errorLog.push(...chunk.split('\n').filter(Boolean)));
  const origin = `http://127.0.0.1:${port}`;
  const exited = new Promise<never>((_resolve, reject) =>
    child.once('exit', (code) =>
      reject(new Error(`nginx exited (${code}): ${errorLog.join('\n')}`)),
    ),
  );
  await Promise.race([waitFor200(`${origin}/healthz`, performance.now(), 15_000), exited]);
  exited.catch(() => undefined);
  return {
    origin,
    errorLog,
    async stop() {
      if (child.exitCode === null) {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        // QUIT: nginx's graceful stop.
        child.kill('SIGQUIT');
        await gone;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

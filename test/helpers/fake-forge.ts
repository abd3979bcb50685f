import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake GitHub and GitLab REST API on loopback, answering the calls the review of delivered work
 * makes, from fixtures a test sets: GitHub's `GET /repos/{owner}/{repo}/pulls/{n}` (the head sha)
 * and `GET /repos/{owner}/{repo}/commits/{sha}/check-runs` (filtered by `check_name`, as GitHub
 * does); GitLab's `GET /projects/:id/merge_requests/:iid/pipelines` (newest first) and
 * `GET /projects/:id/pipelines/:pipeline_id/jobs`. Anything else is a 404 in the forge's shape.
 * `failWith` makes every answer fail: a status (500, 403 rate limited), `drop` (the connection is
 * cut), `hang` (never answers) or `garbage` (a 200 that is not JSON).
 */
interface CheckRun {
  name: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
}

interface GitlabJob {
  name: string;
  status: string;
}

export interface FakeForge {
  githubApiUrl: string;
  gitlabApiUrl: string;
  /** `owner/repo#12` → the pull request's head sha. */
  pulls: Map<string, string>;
  /** sha → the check runs on that commit. */
  checkRuns: Map<string, CheckRun[]>;
  /** `group/project#3` → its pipelines' ids, newest first. */
  mergePipelines: Map<string, number[]>;
  /** pipeline id → its jobs. */
  jobs: Map<number, GitlabJob[]>;
  failWith: number | 'drop' | 'hang' | 'garbage' | undefined;
  /** Every path asked for, in order. */
  requests: string[];
  /** The credential each request carried (`Authorization` or GitLab's `PRIVATE-TOKEN`), if any. */
  credentials: (string | undefined)[];
  close(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

export async function startFakeForge(): Promise<FakeForge> {
  const hanging = new Set<ServerResponse>();
  const forge: Omit<FakeForge, 'githubApiUrl' | 'gitlabApiUrl' | 'close'> = {
    pulls: new Map(),
    checkRuns: new Map(),
    mergePipelines: new Map(),
    jobs: new Map(),
    failWith: undefined,
    requests: [],
    credentials: [],
  };

  function answer(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://forge.test');
    forge.requests.push(`${url.pathname}${url.search}`);
    const credential = req.headers.authorization ?? req.headers['private-token'];
    forge.credentials.push(Array.isArray(credential) ? credential[0] : credential);
    const fail = forge.failWith;
    if (fail === 'drop') return req.socket.destroy();
    if (fail === 'hang') return void hanging.add(res);
    if (fail === 'garbage') return res.writeHead(200, { 'Content-Type': 'text/html' }).end('<h1>');
    if (typeof fail === 'number') return json(res, fail, { message: 'Server Error' });
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const notFound = () => json(res, 404, { message: 'Not Found' });
    if (req.method !== 'GET') return notFound();

    // GitHub, under /github.
    if (parts[0] === 'github' && parts[1] === 'repos') {
      const [, , owner, repo, what, id, more] = parts;
      if (what === 'pulls' && id && !more) {
        const sha = forge.pulls.get(`${owner}/${repo}#${id}`);
        return sha ? json(res, 200, { number: Number(id), head: { sha, ref: 'fix' } }) : notFound();
      }
      if (what === 'commits' && id && more === 'check-runs') {
        const name = url.searchParams.get('check_name');
        const runs = (forge.checkRuns.get(id) ?? []).filter((r) => !name || r.name === name);
        return json(res, 200, {
          total_count: runs.length,
          check_runs: runs.map((r, i) => ({
            id: i + 1,
            head_sha: id,
            ...r,
            html_url: `https://github.com/${owner}/${repo}/runs/${i + 1}`,
          })),
        });
      }
    }

    // GitLab, under /gitlab/api/v4: the project id is its path, URL-encoded as one segment.
    if (parts[0] === 'gitlab' && parts[3] === 'projects') {
      const [, , , , project, what, id, more] = parts;
      if (what === 'merge_requests' && id && more === 'pipelines') {
        const ids = forge.mergePipelines.get(`${project}#${id}`);
        if (!ids) return notFound();
        return json(
          res,
          200,
          ids.map((p) => ({ id: p, sha: 'a'.repeat(40), ref: 'fix', status: 'success' })),
        );
      }
      if (what === 'pipelines' && id && more === 'jobs') {
        const jobs = forge.jobs.get(Number(id));
        if (!jobs) return notFound();
        return json(
          res,
          200,
          jobs.map((j, i) => ({
            id: i + 1,
            ...j,
            web_url: `https://gitlab.com/${project}/-/jobs/${i + 1}`,
          })),
        );
      }
    }
    notFound();
  }

  const server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return Object.assign(forge, {
    githubApiUrl: `${base}/github`,
    gitlabApiUrl: `${base}/gitlab/api/v4`,
    async close() {
      for (const res of hanging) res.socket?.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

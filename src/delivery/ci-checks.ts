import { z } from 'zod';
import type { PullRequest } from './links.ts';

/**
 * A work acceptance criterion's CI check, as it ran on a delivered pull request, read from the
 * forge's API: GitHub's check runs on the pull request's head commit, or the jobs of a GitLab merge
 * request's latest pipeline. Public repositories only, so no token. Any failure to read (refused,
 * timed out, an answer of another shape) is `unreadable`: the review goes on without it, never a 500.
 */
type CheckState = 'passing' | 'failing' | 'pending' | 'inconclusive' | 'missing' | 'unreadable';

export interface CheckResult {
  state: CheckState;
  /** Where the forge shows the run, when it answered with one. */
  href?: string;
}

export interface ForgeApis {
  githubApiUrl: string;
  gitlabApiUrl: string;
  timeoutMs: number;
  /** Read-only tokens, for the forges' higher rate limits; public repositories need none. */
  githubToken?: string;
  gitlabToken?: string;
}

class Unreadable extends Error {}

async function getJson<S extends z.ZodType>(
  address: string,
  schema: S,
  apis: ForgeApis,
  headers: Record<string, string> = {},
): Promise<z.infer<S>> {
  let response: Response;
  try {
    response = await fetch(address, {
      headers: { Accept: 'application/json', 'User-Agent': 'micro-acquisition', ...headers },
      signal: AbortSignal.timeout(apis.timeoutMs),
      redirect: 'error',
    });
  } catch {
    throw new Unreadable(address);
  }
  if (!response.ok) throw new Unreadable(`${address}: ${response.status}`);
  const parsed = schema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw new Unreadable(`${address}: unexpected answer`);
  return parsed.data;
}

const base = (url: string) => (url.endsWith('/') ? url.slice(0, -1) : url);
/** A link to the run, only if it is an https address: it is shown as a link on our page. */
const optionalUrl = z.string().startsWith('https://').optional().catch(undefined);

const githubPull = z.object({ head: z.object({ sha: z.string().regex(/^[\da-f]{40}$/i) }) });
const githubCheckRuns = z.object({
  check_runs: z.array(
    z.object({
      name: z.string(),
      status: z.string(),
      conclusion: z.string().nullable(),
      html_url: optionalUrl,
    }),
  ),
});

function githubState(run: { status: string; conclusion: string | null }): CheckState {
  if (run.status !== 'completed') return 'pending';
  if (run.conclusion === 'success') return 'passing';
  if (run.conclusion === 'neutral' || run.conclusion === 'skipped') return 'inconclusive';
  return 'failing';
}

async function githubCheck(
  pull: Extract<PullRequest, { host: 'github' }>,
  name: string,
  apis: ForgeApis,
): Promise<CheckResult> {
  const repo = `${base(apis.githubApiUrl)}/repos/${encodeURIComponent(pull.owner)}/${encodeURIComponent(pull.repo)}`;
  const headers: Record<string, string> = {
    Accept: 'application/vnd.github+json',
    'X-GitHub-Api-Version': '2022-11-28',
    ...(apis.githubToken && { Authorization: `Bearer ${apis.githubToken}` }),
  };
  const { head } = await getJson(`${repo}/pulls/${pull.number}`, githubPull, apis, headers);
  const query = new URLSearchParams({ check_name: name, filter: 'latest', per_page: '100' });
  const { check_runs: runs } = await getJson(
    `${repo}/commits/${head.sha}/check-runs?${query}`,
    githubCheckRuns,
    apis,
    headers,
  );
  const run = runs.find((r) => r.name === name);
  return run ? { state: githubState(run), href: run.html_url } : { state: 'missing' };
}

const gitlabPipelines = z.array(z.object({ id: z.number().int() }));
const gitlabJobs = z.array(
  z.object({ name: z.string(), status: z.string(), web_url: optionalUrl }),
);

function gitlabState(status: string): CheckState {
  if (status === 'success') return 'passing';
  if (status === 'failed' || status === 'canceled') return 'failing';
  if (status === 'skipped') return 'inconclusive';
  return 'pending';
}

async function gitlabCheck(
  merge: Extract<PullRequest, { host: 'gitlab' }>,
  name: string,
  apis: ForgeApis,
): Promise<CheckResult> {
  const project = `${base(apis.gitlabApiUrl)}/projects/${encodeURIComponent(merge.project)}`;
  const headers: Record<string, string> = apis.gitlabToken
    ? { 'PRIVATE-TOKEN': apis.gitlabToken }
    : {};
  // Newest first: the pipeline of the merge request's latest push.
  const [latest] = await getJson(
    `${project}/merge_requests/${merge.iid}/pipelines`,
    gitlabPipelines,
    apis,
    headers,
  );
  if (!latest) return { state: 'missing' };
  const jobs = await getJson(
    `${project}/pipelines/${latest.id}/jobs?per_page=100`,
    gitlabJobs,
    apis,
    headers,
  );
  const job = jobs.find((j) => j.name === name);
  return job ? { state: gitlabState(job.status), href: job.web_url } : { state: 'missing' };
}

/** The named check's result on the pull or merge request, or `unreadable` if the API fails. */
export async function readCheck(
  pull: PullRequest,
  name: string,
  apis: ForgeApis,
): Promise<CheckResult> {
  try {
    return pull.host === 'github'
      ? await githubCheck(pull, name, apis)
      : await gitlabCheck(pull, name, apis);
  } catch (error) {
    if (error instanceof Unreadable) return { state: 'unreadable' };
    throw error;
  }
}

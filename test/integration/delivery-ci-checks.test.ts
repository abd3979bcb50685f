import { parse } from 'node-html-parser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readCheck } from '../../src/delivery/ci-checks.ts';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import {
  aDeliveryWorld,
  postDelivery,
  postReview,
  pullOn,
  type DeliveryWorld,
} from '../helpers/delivery-world.ts';
import { startFakeForge, type FakeForge } from '../helpers/fake-forge.ts';

let database: TestDatabase;
let forge: FakeForge;
let t: TestApp;
let w: DeliveryWorld;

const SHA = 'f'.repeat(40);
const CHECK = 'unit-tests';

beforeAll(async () => {
  database = await createTestDatabase();
  forge = await startFakeForge();
  t = await createTestApp(database.db, {
    env: {
      GITHUB_API_URL: forge.githubApiUrl,
      GITLAB_API_URL: forge.gitlabApiUrl,
      CI_CHECK_TIMEOUT_MS: '300',
    },
  });
  w = await aDeliveryWorld(t);
  // The client named the check in the request (the request form's own test saves it): a local seed.
  await database
    .db('acceptance_criteria')
    .where({ id: w.criterionIds[0] })
    .update({ ci_check: CHECK });
  const supplier = await w.supplierBrowser();
  expect(
    (await postDelivery(supplier, w.contractId, { pullRequests: pullOn(w.repositoryUrl, 7) }))
      .status,
  ).toBe(303);
});

afterAll(async () => {
  await forge.close();
  await database.drop();
});

beforeEach(() => {
  forge.failWith = undefined;
  forge.pulls.clear();
  forge.checkRuns.clear();
});

async function reviewPage(lang: 'en' | 'fr' = 'en') {
  const client = await w.clientBrowser(lang);
  const res = await client.client.get(url('contractReview', { id: w.contractId }, lang));
  expect(res.status).toBe(200);
  return { client, text: parse(res.text).querySelector('.ci-checks')?.text ?? '' };
}

function onGithub(conclusion: string | null, status: 'completed' | 'in_progress' = 'completed') {
  const path = new URL(w.repositoryUrl).pathname.split('/').filter(Boolean);
  forge.pulls.set(`${path[0]}/${path[1]}#7`, SHA);
  forge.checkRuns.set(SHA, [
    { name: 'lint', status: 'completed', conclusion: 'failure' },
    { name: CHECK, status, conclusion },
  ]);
}

describe('the CI check named by a work acceptance criterion, on the delivered pull request', () => {
  it('shows it passing, read from GitHub: the pull request’s head, then its check runs', async () => {
    onGithub('success');
    const { text } = await reviewPage();
    expect(text).toContain('The check “unit-tests” passed');
    expect(forge.requests).toContain(
      `${new URL(w.repositoryUrl).pathname.replace('/', '/github/repos/')}/pulls/7`,
    );
    expect(
      forge.requests.some((r) => r.includes(`/commits/${SHA}/check-runs?check_name=unit-tests`)),
    ).toBe(true);
  });

  it('shows it failing, or not finished, in the page’s language', async () => {
    onGithub('failure');
    expect((await reviewPage('fr')).text).toContain(
      'La vérification «\u00a0unit-tests\u00a0» a échoué',
    );
    onGithub(null, 'in_progress');
    expect((await reviewPage()).text).toContain('The check “unit-tests” has not finished');
  });

  it('says when no such check ran', async () => {
    const path = new URL(w.repositoryUrl).pathname.split('/').filter(Boolean);
    forge.pulls.set(`${path[0]}/${path[1]}#7`, SHA);
    forge.checkRuns.set(SHA, [{ name: 'lint', status: 'completed', conclusion: 'success' }]);
    expect((await reviewPage()).text).toContain(
      'No check named “unit-tests” ran on this pull request',
    );
  });

  it('says it could not be read when the API fails, times out or answers garbage, never a 500', async () => {
    onGithub('success');
    const client = await w.clientBrowser();
    const page = url('contractReview', { id: w.contractId }, 'en');
    for (const failure of [500, 403, 'drop', 'hang', 'garbage'] as const) {
      forge.failWith = failure;
      const started = performance.now();
      const res = await client.client.get(page);
      const elapsed = performance.now() - started;
      expect(res.status).toBe(200);
      expect(parse(res.text).querySelector('.ci-checks')?.text, String(failure)).toContain(
        'The result of “unit-tests” could not be read',
      );
      // A forge that never answers holds the page no longer than the timeout (300 ms here).
      if (failure === 'hang') {
        console.log(`review page with a hanging forge: ${Math.round(elapsed)} ms (timeout 300 ms)`);
        expect(elapsed).toBeLessThan(2000);
      }
    }
    // The review goes on: the client judges for themselves, and the evidence kept says so.
    forge.failWith = 'hang';
    const done = await postReview(client, w.contractId, {
      decision: 'accept',
      judgements: [{ id: w.criterionIds[0]!, met: 'yes', comment: 'Ran the tests myself.' }],
    });
    expect(done.status).toBe(303);
    // Both sides read later what the client saw; the supplier saw which check counts.
    const after = await client.client.get(url('contractReview', { id: w.contractId }, 'en'));
    expect(parse(after.text).querySelector('.review-section')?.text).toContain(
      'When the client judged it: The result of “unit-tests” could not be read',
    );
    const supplierPage = await (
      await w.supplierBrowser()
    ).client.get(url('contractDelivery', { id: w.contractId }, 'en'));
    expect(supplierPage.text).toContain('CI check: unit-tests');
    const [judged] = await database.db('delivery_review_criteria').select('ci_evidence');
    expect(judged.ci_evidence).toEqual([
      { pullRequest: pullOn(w.repositoryUrl, 7), state: 'unreadable' },
    ]);
  });

  it('reads a GitLab merge request’s latest pipeline and its job', async () => {
    const apis = {
      githubApiUrl: forge.githubApiUrl,
      gitlabApiUrl: forge.gitlabApiUrl,
      timeoutMs: 300,
    };
    const merge = { host: 'gitlab', project: 'group/sub/project', iid: 3 } as const;
    forge.mergePipelines.set('group/sub/project#3', [42, 41]);
    forge.jobs.set(42, [{ name: CHECK, status: 'success' }]);
    forge.jobs.set(41, [{ name: CHECK, status: 'failed' }]);
    expect(await readCheck(merge, CHECK, apis)).toMatchObject({ state: 'passing' });
    expect(forge.requests).toContain(
      '/gitlab/api/v4/projects/group%2Fsub%2Fproject/merge_requests/3/pipelines',
    );
    forge.jobs.set(42, [{ name: CHECK, status: 'failed' }]);
    expect(await readCheck(merge, CHECK, apis)).toMatchObject({ state: 'failing' });
    forge.jobs.set(42, [{ name: CHECK, status: 'running' }]);
    expect(await readCheck(merge, CHECK, apis)).toMatchObject({ state: 'pending' });
    expect(await readCheck(merge, 'e2e', apis)).toEqual({ state: 'missing' });
    forge.failWith = 502;
    expect(await readCheck(merge, CHECK, apis)).toEqual({ state: 'unreadable' });
    // Without a token, none is sent; with one, each forge gets its own in its own header.
    expect(forge.credentials.every((c) => c === undefined)).toBe(true);
    forge.failWith = undefined;
    forge.credentials.length = 0;
    await readCheck(merge, CHECK, { ...apis, gitlabToken: 'glpat-read' });
    onGithub('success');
    const [owner, repo] = new URL(w.repositoryUrl).pathname.split('/').filter(Boolean);
    const pull = { host: 'github', owner: owner!, repo: repo!, number: 7 } as const;
    expect(await readCheck(pull, CHECK, { ...apis, githubToken: 'ghp_read' })).toMatchObject({
      state: 'passing',
    });
    expect(forge.credentials).toEqual([
      'glpat-read',
      'glpat-read',
      'Bearer ghp_read',
      'Bearer ghp_read',
    ]);
  });
});

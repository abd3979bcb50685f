import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { fromRoot } from '../../src/platform/paths.ts';
import { url } from '../../src/platform/routes.ts';
import { applicantPath, evaluationPath, evaluationWorld } from '../helpers/evaluation-world.ts';

/**
 * The whole way: applications submitted (fingerprinted), the opportunity closed (list fixed), the
 * evaluator's pages record pass or fail with reasons and lock the evaluation, which draws; then
 * the script recomputes the draw from the JSON the public page serves, and nothing else.
 */

const run = promisify(execFile);
const w = evaluationWorld();
const pass = 'The linked pull request shows merged TypeScript work.';
const fail = 'No merged pull request is linked in the answer.';

describe('the draw run by the evaluation’s lock', () => {
  it('ranks only the passing applications, and the script reproduces it from public data', async () => {
    const file = await w.aClosedFile(4);
    const ref = file.reference;
    const client = await w.as('client');
    const declared = await client.post(
      `${evaluationPath(ref)}/declaration`,
      { noConflict: 'yes' },
      evaluationPath(ref),
    );
    expect(declared.status).toBe(303);
    for (const [i, letter] of ['A', 'B', 'C', 'D'].entries()) {
      const form: Record<string, string> = {};
      for (const c of file.criteria) {
        form[`decision-${c.id}`] = i === 3 ? 'fail' : 'pass';
        form[`reason-${c.id}`] = i === 3 ? fail : pass;
      }
      expect((await client.post(applicantPath(ref, letter), form)).status).toBe(303);
    }
    const version = String((await w.opportunity(file.id)).version);
    const locked = await client.post(
      `${evaluationPath(ref)}/lock`,
      { version },
      evaluationPath(ref),
    );
    expect(locked.status).toBe(303);
    expect((await w.opportunity(file.id)).status).toBe('drawn');

    const json = await request(w.t.app).get(url('drawResultsJson', { ref }, 'en'));
    const draw = json.body as { fingerprints: string[]; order: { fingerprint: string }[] };
    expect(draw.fingerprints).toHaveLength(4);
    expect(draw.order).toHaveLength(3);
    const failed = await w.database
      .db('applications as a')
      .join('draw_fingerprints as f', 'f.application_id', 'a.id')
      .where({ 'a.opportunity_id': file.id, 'a.status': 'failed' })
      .pluck('f.fingerprint');
    expect(failed).toHaveLength(1);
    expect(draw.order.map((r) => r.fingerprint)).not.toContain(failed[0]);

    const folder = mkdtempSync(path.join(tmpdir(), 'draw-'));
    const saved = path.join(folder, `${ref}-draw.json`);
    writeFileSync(saved, json.text);
    const verified = await run(process.execPath, [
      fromRoot('scripts/verify-draw.mjs'),
      ref,
      '--file',
      saved,
    ]);
    expect(verified.stdout.trim().split('\n').at(-1)).toBe('OK');
    // The page names no applicant, the winner included (no profile choice to be named exists yet).
    const page = await request(w.t.app).get(url('drawResults', { ref }, 'fr'));
    for (const a of file.applicants) expect(page.text).not.toContain(a.name);
  });
});

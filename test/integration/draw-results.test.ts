import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawKeyOf, openSecret } from '../../src/draw/key.ts';
import { drawOrder } from '../../src/draw/service.ts';
import { url } from '../../src/platform/routes.ts';
import { fromRoot } from '../../src/platform/paths.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import type { Scenario } from '../helpers/scenarios.ts';
// @ts-expect-error -- a plain JavaScript file with no types, dependency-free on purpose
import { verifyDraw } from '../../scripts/verify-draw.mjs';
import {
  aSubmittedApplication,
  aSupplier,
  anOpenOpportunity,
  closeAtDeadline,
} from './draw-world.ts';

const run = promisify(execFile);
const SCRIPT = fromRoot('scripts/verify-draw.mjs');

let database: TestDatabase;
let t: TestApp;
let drawn: Scenario;
let server: Server;
let site: string;

interface DrawData {
  commitment: string;
  secret: string | null;
  fingerprints: string[] | null;
  fingerprintListHash: string | null;
  order: { rank: number; fingerprint: string; hmac: string }[];
}

const verify = (draw: DrawData) => verifyDraw(draw) as { ok: boolean; lines: string[] };

async function jsonOf(s: Scenario, lang: 'en' | 'fr' = 'en'): Promise<DrawData> {
  const res = await request(t.app).get(url('drawResultsJson', { ref: s.reference }, lang));
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/application\/json/);
  return res.body as DrawData;
}

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  drawn = await anOpenOpportunity(t);
  const ids: number[] = [];
  for (const name of ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Edsger Dijkstra']) {
    ids.push(await aSubmittedApplication(t, drawn, await aSupplier(t, name)));
  }
  await closeAtDeadline(t, drawn);
  const context = { config: t.deps.config, now: t.clock.now() };
  await database.db.transaction((trx) => drawOrder(trx, drawn.id, ids.slice(0, 3), context));
  server = createServer(t.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  site = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await database.drop();
});

describe('the draw reproduced from public data alone (issue 11, item 6)', () => {
  it('is recomputed by the script from the JSON the page serves, downloaded or fetched', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'draw-'));
    const file = path.join(folder, 'draw.json');
    writeFileSync(file, JSON.stringify(await jsonOf(drawn, 'fr')));
    const fromFile = await run(process.execPath, [SCRIPT, drawn.reference, '--file', file]);
    expect(fromFile.stdout).toMatch(/order of 3 recomputed from the secret\n/);
    expect(fromFile.stdout.trim().split('\n').at(-1)).toBe('OK');
    const fromSite = await run(process.execPath, [SCRIPT, drawn.reference, '--url', site]);
    expect(fromSite.stdout.trim().split('\n').at(-1)).toBe('OK');
  });

  it('says MISMATCH, exit code 1, when the published data is changed', async () => {
    const draw = await jsonOf(drawn);
    draw.order = [...draw.order].reverse().map((r, i) => ({ ...r, rank: i + 1 }));
    const folder = mkdtempSync(path.join(tmpdir(), 'draw-'));
    const file = path.join(folder, 'draw.json');
    writeFileSync(file, JSON.stringify(draw));
    const failed = await run(process.execPath, [SCRIPT, '--file', file]).catch((e) => e);
    expect(failed.code).toBe(1);
    expect(failed.stdout.trim().split('\n').at(-1)).toBe('MISMATCH');
  });

  it('fails verification when any fingerprint or the secret is changed', async () => {
    const draw = await jsonOf(drawn);
    expect(verify(draw).ok).toBe(true);
    for (const [i, r] of draw.order.entries()) {
      const other = `${r.fingerprint.slice(0, 63)}${r.fingerprint.endsWith('0') ? '1' : '0'}`;
      const list = draw.fingerprints!.map((f) => (f === r.fingerprint ? other : f)).sort();
      const changed = {
        ...draw,
        fingerprints: list,
        fingerprintListHash: createHash('sha256').update(list.join('\n')).digest('hex'),
        order: draw.order.map((o, j) => (j === i ? { ...o, fingerprint: other } : o)),
      };
      // Even with the list's hash recomputed, the HMACs no longer follow.
      expect(verify(changed).ok, `fingerprint ${i + 1}`).toBe(false);
    }
    const secret = `${draw.secret!.slice(0, 63)}${draw.secret!.endsWith('0') ? '1' : '0'}`;
    const other = verify({ ...draw, secret });
    expect(other.ok).toBe(false);
    expect(other.lines).toContain('MISMATCH SHA-256(secret) is the commitment');
    expect(other.lines).toContain('MISMATCH order of 3 recomputed from the secret');
  });

  it('reveals the secret that was committed to, and kept only encrypted in the database', async () => {
    const draw = await jsonOf(drawn);
    const row = await database.db('draw_commitments').where({ opportunity_id: drawn.id }).first();
    expect(row.secret).toBe(draw.secret);
    const secret = Buffer.from(draw.secret!, 'hex');
    expect(Buffer.compare(row.secret_ciphertext, secret)).not.toBe(0);
    const sealed = {
      iv: row.secret_iv,
      ciphertext: row.secret_ciphertext,
      tag: row.secret_tag,
      keyId: row.key_id,
    };
    expect(openSecret(drawKeyOf(t.deps.config), drawn.id, sealed)).toEqual(secret);
    expect(() => openSecret(drawKeyOf(t.deps.config), drawn.id + 1, sealed)).toThrow();
  });

  it('shows the whole record in both languages without naming an applicant', async () => {
    const draw = await jsonOf(drawn);
    for (const lang of ['en', 'fr'] as const) {
      const res = await request(t.app).get(url('drawResults', { ref: drawn.reference }, lang));
      expect(res.status).toBe(200);
      for (const value of [draw.commitment, draw.secret!, ...draw.fingerprints!]) {
        expect(res.text).toContain(value);
      }
      for (const r of draw.order) expect(res.text).toContain(r.hmac);
      for (const name of ['Lovelace', 'Hopper', 'Turing', 'Dijkstra']) {
        expect(res.text).not.toContain(name);
      }
      expect(res.text).toContain('<script src="/assets/js/draw-check.js" defer></script>');
      expect(res.text).toContain(`npm run verify-draw -- ${drawn.reference}`);
    }
    expect(t.missingKeys).toEqual([]);
  });

  it('shows the commitment before closing, and says the rest comes later', async () => {
    const open = await anOpenOpportunity(t);
    await aSubmittedApplication(t, open);
    const draw = await jsonOf(open);
    expect(draw.secret).toBeNull();
    expect(draw.fingerprints).toBeNull();
    expect(verify(draw).ok).toBe(true);
    const page = await request(t.app).get(url('opportunity', { ref: open.reference }, 'fr'));
    expect(page.text).toContain(draw.commitment);
    expect(page.text).toContain(url('drawResults', { ref: open.reference }, 'fr'));
    const results = await request(t.app).get(url('drawResults', { ref: open.reference }, 'en'));
    expect(results.text).toContain('The secret is revealed when the evaluation is complete.');
  });
});

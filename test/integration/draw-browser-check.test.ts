import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { runInNewContext } from 'node:vm';
import { parse } from 'node-html-parser';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawOrder } from '../../src/draw/service.ts';
import { fromRoot } from '../../src/platform/paths.ts';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import type { Scenario } from '../helpers/scenarios.ts';
import { aSubmittedApplication, anOpenOpportunity, closeAtDeadline } from './draw-world.ts';

/**
 * public/js/draw-check.js as a browser runs it: the page's own status element, Web Crypto and
 * fetch (Node's, the same standard APIs), against the JSON the app serves. Only the document is
 * stood in for, by the one element the script reads.
 */

const SCRIPT = readFileSync(fromRoot('public/js/draw-check.js'), 'utf8');

let database: TestDatabase;
let t: TestApp;
let server: Server;
let site: string;
let drawn: Scenario;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  drawn = await anOpenOpportunity(t);
  const ids = [await aSubmittedApplication(t, drawn), await aSubmittedApplication(t, drawn)];
  await closeAtDeadline(t, drawn);
  await database.db.transaction((trx) =>
    drawOrder(trx, drawn.id, ids, { config: t.deps.config, now: t.clock.now() }),
  );
  server = createServer(t.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  site = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await database.drop();
});

/** Runs the script on the page at `path`, with `tamper` applied to the JSON it fetches. */
async function checkInBrowser(
  path: string,
  tamper: (draw: Record<string, unknown>) => void = () => {},
) {
  const page = parse((await request(t.app).get(path)).text);
  const status = page.getElementById('draw-check')!;
  const region = {
    hidden: true,
    textContent: '',
    getAttribute: (name: string) => status.getAttribute(name) ?? null,
  };
  let settled!: () => void;
  const done = new Promise<void>((resolve) => (settled = resolve));
  const browserFetch = async (address: string) => {
    const response = await fetch(site + address);
    const draw = (await response.json()) as Record<string, unknown>;
    tamper(draw);
    return { ok: response.ok, json: async () => draw };
  };
  const window = { crypto, fetch: browserFetch, TextEncoder };
  runInNewContext(SCRIPT, {
    window,
    crypto,
    fetch: browserFetch,
    TextEncoder,
    document: { getElementById: (id: string) => (id === 'draw-check' ? region : null) },
  });
  const watch = setInterval(() => {
    if (region.textContent !== status.getAttribute('data-checking')) settled();
  }, 5);
  await done;
  clearInterval(watch);
  return { region, status };
}

describe('the draw checked in the browser with Web Crypto', () => {
  it('says the draw checks out, in the page’s language', async () => {
    for (const lang of ['en', 'fr'] as const) {
      const { region, status } = await checkInBrowser(
        url('drawResults', { ref: drawn.reference }, lang),
      );
      expect(region.hidden).toBe(false);
      expect(region.textContent).toBe(status.getAttribute('data-ok'));
    }
  });

  it('says it does not when the secret, a fingerprint or the order is changed', async () => {
    const path = url('drawResults', { ref: drawn.reference }, 'en');
    const flip = (hex: string) => `${hex.slice(0, 63)}${hex.endsWith('0') ? '1' : '0'}`;
    const tampers: ((draw: Record<string, unknown>) => void)[] = [
      (d) => (d.secret = flip(d.secret as string)),
      (d) => {
        const order = d.order as { fingerprint: string }[];
        order[0]!.fingerprint = flip(order[0]!.fingerprint);
      },
      (d) => (d.order as unknown[]).reverse(),
    ];
    for (const tamper of tampers) {
      const { region, status } = await checkInBrowser(path, tamper);
      expect(region.textContent).toBe(status.getAttribute('data-mismatch'));
    }
  });

  it('checks what is published so far before the draw', async () => {
    const open = await anOpenOpportunity(t);
    const { region, status } = await checkInBrowser(
      url('drawResults', { ref: open.reference }, 'fr'),
    );
    expect(region.textContent).toBe(status.getAttribute('data-ok-so-far'));
  });
});

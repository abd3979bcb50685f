import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractMachine } from '../../src/contracts/machine.ts';
import { transition } from '../../src/lifecycle/transition.ts';
import { easternDate } from '../../src/platform/dates.ts';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import {
  aContractInProgress,
  anAcceptedContract,
  type ContractFile,
} from '../helpers/contract-world.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { aPublishedOpportunity, type Scenario } from '../helpers/scenarios.ts';

/**
 * Issue 13, item 4: the CSV of awarded contracts for proactive disclosure. The supplier is named
 * only if they chose to be (issue 11, item 7), else "Not disclosed" in the file's language.
 */

let database: TestDatabase;
let t: TestApp;
let named: ContractFile;
let unnamed: ContractFile;
let open: Scenario;

/** RFC 4180 as the file writes it: every cell quoted, CRLF between records. */
function parseCsv(text: string): string[][] {
  expect(text.startsWith('\uFEFF')).toBe(true);
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.slice(1);
  for (let i = 0; i < body.length; i += 1) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && body[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 1;
    } else throw new Error(`unquoted ${JSON.stringify(c)} at ${i}`);
  }
  return rows;
}

async function profile(file: ContractFile, p: { business: string; named: boolean }) {
  await database.db('supplier_profiles').insert({
    user_id: file.supplier.id,
    legal_name: `${p.business} Legal`,
    supplier_type: 'business',
    business_name: p.business,
    province: 'ON',
    accepts_card: true,
    named_if_selected: p.named,
  });
}

async function csv(lang: 'en' | 'fr') {
  const res = await request(t.app).get(url('awardedContractsCsv', {}, lang));
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
  expect(res.headers['set-cookie']).toBeUndefined();
  return { res, rows: parseCsv(res.text) };
}

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  unnamed = await aContractInProgress(t);
  await profile(unnamed, { business: 'Quiet Code Ltd.', named: false });
  named = await anAcceptedContract(t);
  await profile(named, { business: '=HYPERLINK("http://evil.example")', named: true });
  const { version } = await database.db('contracts').where({ id: named.contractId }).first();
  await database.db.transaction((trx) =>
    transition(trx, contractMachine, {
      id: named.contractId,
      action: 'complete_contract',
      actor: null,
      expectedVersion: version,
      now: t.clock.now(),
    }),
  );
  open = await aPublishedOpportunity(t);
});

afterAll(async () => {
  await database.drop();
});

describe('the CSV of awarded contracts', () => {
  it('has its columns in the file’s language and one row per awarded contract', async () => {
    const en = await csv('en');
    expect(en.rows[0]).toEqual([
      'Reference',
      'Title',
      'Department',
      'Supplier',
      'Fixed price before tax (CAD)',
      'Maximum with tax (CAD)',
      'Award date',
      'Completion date',
    ]);
    const fr = await csv('fr');
    expect(fr.rows[0]![2]).toBe('Ministère');
    const references = en.rows.slice(1).map((r) => r[0]);
    expect(references.sort()).toEqual([named.s.reference, unnamed.s.reference].sort());
    expect(references).not.toContain(open.reference);
  });

  it('names the supplier only if they chose to be, else "Not disclosed" / « Non divulgué »', async () => {
    const en = await csv('en');
    const fr = await csv('fr');
    const rowOf = (rows: string[][], s: Scenario) => rows.find((r) => r[0] === s.reference)!;
    expect(rowOf(en.rows, unnamed.s)[3]).toBe('Not disclosed');
    expect(rowOf(fr.rows, unnamed.s)[3]).toBe('Non divulgué');
    expect(en.res.text).not.toContain('Quiet Code');
    // A name a spreadsheet would run as a formula comes with an apostrophe first.
    expect(rowOf(en.rows, named.s)[3]).toBe(`'=HYPERLINK("http://evil.example")`);
  });

  it('gives the value and the award and completion dates (Eastern time), from the events', async () => {
    const dayOf = async (contractId: number, action: string) => {
      const { at } = await database
        .db('events')
        .where({ entity_type: 'contract', entity_id: contractId, action })
        .first('at');
      return easternDate(at);
    };
    const { rows } = await csv('en');
    const done = rows.find((r) => r[0] === named.s.reference)!;
    expect(done.slice(4)).toEqual([
      '6500.00',
      '7475.00',
      await dayOf(named.contractId, 'accept_terms'),
      await dayOf(named.contractId, 'complete_contract'),
    ]);
    const underWay = rows.find((r) => r[0] === unnamed.s.reference)!;
    expect(underWay[6]).toBe(await dayOf(unnamed.contractId, 'accept_terms'));
    expect(underWay[6]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(underWay[7]).toBe('');
  });

  it('is linked from the open data page, itself linked from the opportunities list', async () => {
    for (const lang of ['en', 'fr'] as const) {
      const list = (await request(t.app).get(url('opportunities', {}, lang))).text;
      expect(list).toContain(`href="${url('openData', {}, lang)}"`);
      const page = await request(t.app).get(url('openData', {}, lang));
      expect(page.status).toBe(200);
      expect(page.text).toContain(`href="${url('awardedContractsCsv', {}, lang)}"`);
      expect(page.text).toContain('href="/api/v1/openapi.json"');
    }
    expect(t.missingKeys).toEqual([]);
  });
});

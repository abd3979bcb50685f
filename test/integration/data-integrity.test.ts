import type { Knex } from 'knex';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicStatuses } from '../../src/opportunities/states.ts';
import { HIGHEST_TAX_BASIS_POINTS, maxTotalCents, provinces } from '../../src/platform/money.ts';
import { url } from '../../src/platform/routes.ts';
import { salesTaxOn } from '../../src/platform/sales-tax.ts';
import { previewTokenHash } from '../../src/publishing/preview-link.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment } from '../helpers/fixtures.ts';
import {
  aClosedOpportunity,
  aDraftRequest,
  aPublishedOpportunity,
  aReadyRequest,
  aTranslatedRequest,
  type Scenario,
} from '../helpers/scenarios.ts';

/**
 * What the database itself refuses (migration 20261201000200), whatever code writes the rows.
 * States are reached through the actions; the direct writes below are the ones that must fail,
 * and the few that must pass run in a transaction that is rolled back.
 */
let database: TestDatabase;
let t: TestApp;
let esdc: number;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  esdc = await insertDepartment(database.db);
});

afterAll(async () => {
  await database.drop();
});

class RolledBack extends Error {}

/** Runs direct writes and undoes them: what passes here is never committed. */
async function rolledBack(run: (trx: Knex.Transaction) => Promise<void>): Promise<void> {
  await expect(
    database.db.transaction(async (trx) => {
      await run(trx);
      throw new RolledBack();
    }),
  ).rejects.toBeInstanceOf(RolledBack);
}

/** A statement that must fail, in a savepoint so the transaction goes on. */
const refused = (trx: Knex.Transaction, write: (sp: Knex.Transaction) => Promise<unknown>) =>
  expect(trx.transaction(write));

const NO_FUNDS = /no section 32 fund reservation/;
let sequence = 0;

function rawOpportunity(status: string, extra: Record<string, unknown> = {}) {
  sequence += 1;
  return {
    reference: `MA-2026-${String(9000 + sequence)}`,
    department_id: esdc,
    title_en: 'Raw row',
    price_cents: 100_000,
    status,
    ...extra,
  };
}

const setStatus = (trx: Knex.Transaction, s: Scenario, status: string) =>
  trx('opportunities').where({ id: s.id }).update({ status });
const release = (trx: Knex.Transaction, s: Scenario) =>
  trx('fund_reservations')
    .where({ opportunity_id: s.id })
    .whereNull('released_at')
    .update({ released_at: t.clock.now() });

describe('a section 32 fund reservation before any public state', () => {
  it('refuses to insert an opportunity in any public state; a draft is fine', async () => {
    for (const status of publicStatuses.filter((s) => s !== 'cancelled')) {
      await expect(
        database.db('opportunities').insert(rawOpportunity(status)),
        status,
      ).rejects.toThrow(NO_FUNDS);
    }
    // Cancelled is public once it has been published (it has an opening date).
    await expect(
      database.db('opportunities').insert(rawOpportunity('cancelled', { opens_at: t.clock.now() })),
    ).rejects.toThrow(NO_FUNDS);
    await rolledBack(async (trx) => {
      await trx('opportunities').insert(rawOpportunity('draft'));
      await trx('opportunities').insert(rawOpportunity('cancelled'));
    });
  });

  it('refuses every public state reached without a held reservation, and takes one that is held', async () => {
    const ready = await aReadyRequest(t);
    await rolledBack(async (trx) => {
      await release(trx, ready);
      for (const status of publicStatuses.filter((s) => s !== 'cancelled')) {
        await refused(trx, (sp) => setStatus(sp, ready, status)).rejects.toThrow(NO_FUNDS);
      }
      await refused(trx, (sp) =>
        sp('opportunities')
          .where({ id: ready.id })
          .update({ status: 'cancelled', opens_at: t.clock.now() }),
      ).rejects.toThrow(NO_FUNDS);
      await trx('fund_reservations')
        .where({ opportunity_id: ready.id })
        .update({ released_at: null });
      await setStatus(trx, ready, 'published');
    });
  });

  it('keeps the funds held while the department is committed, and lets an end keep a released one', async () => {
    const closed = await aClosedOpportunity(t);
    await rolledBack(async (trx) => {
      await refused(trx, (sp) => release(sp, closed)).rejects.toThrow(/still held/);
      await refused(trx, (sp) =>
        sp('fund_reservations').where({ opportunity_id: closed.id }).delete(),
      ).rejects.toThrow(/still held/);
      for (const status of ['evaluated', 'drawn', 'awarded']) await setStatus(trx, closed, status);
      await setStatus(trx, closed, 'terminated');
      // The exit prompts finance to release the funds; the end stays as it is.
      await release(trx, closed);
      await setStatus(trx, closed, 'cancelled');
      // Re-posting needs funds again: a new reservation, the only one held.
      await refused(trx, (sp) => setStatus(sp, closed, 'published')).rejects.toThrow(NO_FUNDS);
      const reservation = await trx('fund_reservations')
        .where({ opportunity_id: closed.id })
        .first();
      const again = { ...reservation, id: undefined, released_at: null, released_by: null };
      await trx('fund_reservations').insert({ ...again, reservation_number: 'FR-REPOST-1' });
      await refused(trx, (sp) =>
        sp('fund_reservations').insert({ ...again, reservation_number: 'FR-REPOST-2' }),
      ).rejects.toThrow(/fund_reservations_one_held/);
      await setStatus(trx, closed, 'published');
    });
  });

  it('needs the reservation to exist for an end reached from a public state', async () => {
    const published = await aPublishedOpportunity(t);
    await rolledBack(async (trx) => {
      await setStatus(trx, published, 'cancelled');
      await release(trx, published);
      await trx('fund_reservations').where({ opportunity_id: published.id }).delete();
      await refused(trx, (sp) => setStatus(sp, published, 'terminated')).rejects.toThrow(NO_FUNDS);
    });
  });

  it('refuses a release of more than the reservation holds', async () => {
    const ready = await aReadyRequest(t);
    const row = await database.db('fund_reservations').where({ opportunity_id: ready.id }).first();
    await expect(
      database
        .db('fund_reservations')
        .where({ id: row.id })
        .update({ released_cents: row.amount_cents + 1, released_at: t.clock.now() }),
    ).rejects.toThrow(/fund_reservations_released_part/);
    // All of it released without a date would be a reservation that holds nothing.
    await expect(
      database
        .db('fund_reservations')
        .where({ id: row.id })
        .update({ released_cents: row.amount_cents }),
    ).rejects.toThrow(/fund_reservations_nothing_left_is_released/);
  });
});

describe('the cap, from the price itself', () => {
  it('computes the tax-inclusive maximum as money.ts does, rounding half up', async () => {
    const draft = await aDraftRequest(t);
    const prices = [1, 3, 10, 33, 99, 100, 650_000, 123_457, 869_565, 869_564];
    for (let price = 1; price <= 400; price += 7) prices.push(price);
    for (const price of prices) {
      const [row] = await database
        .db('opportunities')
        .where({ id: draft.id })
        .update({ price_cents: price })
        .returning('max_total_cents');
      expect(row.max_total_cents, String(price)).toBe(maxTotalCents(price));
    }
  });

  it('refuses a price whose tax-inclusive total passes $10,000, whatever total is written', async () => {
    const draft = await aDraftRequest(t);
    const price = (cents: number, extra = {}) =>
      database
        .db('opportunities')
        .where({ id: draft.id })
        .update({ price_cents: cents, ...extra });
    await expect(price(869_566)).rejects.toThrow(/opportunities_total_within_cap/);
    await expect(price(869_566, { max_total_cents: 1_000_000 })).rejects.toThrow(/max_total_cents/);
    await expect(price(500_000, { max_total_cents: 1 })).rejects.toThrow(/max_total_cents/);
    await expect(
      database.db('opportunities').insert(rawOpportunity('draft', { price_cents: 2_000_000 })),
    ).rejects.toThrow(/opportunities_total_within_cap/);
    await expect(
      database
        .db('opportunities')
        .insert(rawOpportunity('draft', { price_cents: 869_566, max_total_cents: 999_999 })),
    ).rejects.toThrow(/max_total_cents/);
    await price(869_565);
    expect(
      await database
        .db('opportunities')
        .where({ id: draft.id })
        .first('price_cents', 'max_total_cents'),
    ).toEqual({ price_cents: 869_565, max_total_cents: 1_000_000 });
  });
});

describe('payment methods', () => {
  const department = (methods: string[], exemption: string | null) =>
    database.db('departments').where({ id: esdc }).update({
      payment_methods: methods,
      card_exemption_reference: exemption,
    });

  it('are the three of the domain, and both card modes need the exemption', async () => {
    await expect(department(['card'], 'CFO-1')).rejects.toThrow(/payment_methods_known/);
    await expect(department(['paypal'], null)).rejects.toThrow(/payment_methods_known/);
    for (const card of ['card_direct', 'card_paypal_checkout']) {
      await expect(department([card, 'paypal_payout'], null), card).rejects.toThrow(
        /card_needs_exemption/,
      );
      await expect(department([card], '  '), card).rejects.toThrow(/card_needs_exemption/);
    }
    await department(['paypal_payout'], null);
    await department(['card_direct', 'card_paypal_checkout', 'paypal_payout'], 'CFO-2026-017');

    const draft = await aDraftRequest(t);
    const method = (payment_method: string) =>
      database.db('opportunities').where({ id: draft.id }).update({ payment_method });
    await expect(method('paypal')).rejects.toThrow(/opportunities_payment_method/);
    await method('card_paypal_checkout');
  });
});

describe('sales-tax rates', () => {
  it('apply the rate in force on the date: Nova Scotia went from 15% to 14% on 2025-04-01', async () => {
    const tax = (province: (typeof provinces)[number], date: string) =>
      salesTaxOn(database.db, 650_000, province, date);
    expect(await tax('NS', '2025-03-31')).toMatchObject({ kind: 'HST', basisPoints: 1500 });
    expect(await tax('NS', '2025-04-01')).toMatchObject({ kind: 'HST', basisPoints: 1400 });
    expect(await tax('ON', '2026-12-01')).toEqual({
      province: 'ON',
      kind: 'HST',
      basisPoints: 1300,
      preTaxCents: 650_000,
      taxCents: 84_500,
      totalCents: 734_500,
    });
    // A federal department pays the GST only where there is no HST (no PST, no QST).
    expect(await tax('QC', '2026-12-01')).toMatchObject({ kind: 'GST', taxCents: 32_500 });
    expect(await tax('BC', '2026-12-01')).toMatchObject({ kind: 'GST', basisPoints: 500 });
    await expect(tax('AB', '2007-12-31')).rejects.toThrow(/No sales-tax rate/);
    await expect(tax('AB', '2026-02-30')).rejects.toThrow(RangeError);
  });

  it('give every province one rate today, none above the one the cap assumes, never two at once', async () => {
    const today = '2026-11-23';
    const rates = await database
      .db('sales_tax_rates')
      .where('effective_from', '<=', today)
      .andWhere((q) => q.whereNull('effective_to').orWhere('effective_to', '>=', today));
    expect(rates.map((r) => r.province).sort()).toEqual([...provinces].sort());
    expect(Math.max(...rates.map((r) => r.rate_basis_points))).toBe(HIGHEST_TAX_BASIS_POINTS);

    const rate = (values: Record<string, unknown>) =>
      database.db('sales_tax_rates').insert({ province: 'ON', kind: 'HST', ...values });
    await expect(rate({ rate_basis_points: 1200, effective_from: '2027-01-01' })).rejects.toThrow(
      /sales_tax_rates_no_overlap/,
    );
    await expect(
      rate({ province: 'NS', rate_basis_points: 1600, effective_from: '2030-01-01' }),
    ).rejects.toThrow(/sales_tax_rates_within_cap_rate/);
  });
});

describe('the preview link', () => {
  it('is kept as a hash, like account tokens: the database alone opens no preview', async () => {
    const translated = await aTranslatedRequest(t);
    const token = translated.previewToken!;
    const row = await database.db('opportunities').where({ id: translated.id }).first();
    expect(row.preview_token_hash).toBe(previewTokenHash(token));
    expect(JSON.stringify(row)).not.toContain(token);
    const columns = await database
      .db('information_schema.columns')
      .where({ table_name: 'opportunities', column_name: 'preview_token' });
    expect(columns).toEqual([]);
    await request(t.app)
      .get(url('preview', { token }, 'en'))
      .expect(200);
    const hashAsToken = row.preview_token_hash.slice(0, 43);
    await request(t.app)
      .get(url('preview', { token: hashAsToken }, 'en'))
      .expect(404);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoOnce } from '../../src/demo/loader.ts';
import { publicStatuses } from '../../src/opportunities/states.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

let database: TestDatabase;
let t: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db, { now: '2026-11-23T15:00:00Z' });
  await seedDemoOnce(t.deps, 'demo passphrase 2026');
});

afterAll(async () => {
  await database.drop();
});

async function opportunity(title: string) {
  const row = await database.db('opportunities').where({ title_en: title }).first();
  if (!row) throw new Error(`no demo opportunity ${title}`);
  return row;
}

const applicationsTo = (opportunityId: number) =>
  database
    .db('applications')
    .where({ opportunity_id: opportunityId })
    .orderBy('id')
    .select('id', 'status', 'supplier_id');

/** An entity's status changes, in order. */
const statusEvents = (entityType: string, id: number) =>
  database
    .db('events')
    .where({ entity_type: entityType, entity_id: id })
    .whereNotNull('to_state')
    .orderBy('id')
    .select('action', 'to_state', 'actor_id');

/** The opportunity's own events (its file's steps, status changes or not), in order. */
const fileEvents = (opportunityId: number) =>
  database
    .db('events')
    .where({ entity_type: 'opportunity', entity_id: opportunityId })
    .orderBy('id')
    .select('action', 'to_state');

describe('development demo data', () => {
  it('puts ESDC requests in the screening, section 32 and translation queues through the real lifecycle', async () => {
    const { db } = database;
    const rows = await db('opportunities as o')
      .join('users as u', 'u.id', 'o.requester_id')
      .whereNotIn('o.status', publicStatuses)
      .orderBy('o.reference')
      .select('o.id', 'o.reference', 'o.status', 'u.email');
    expect(rows.map((r) => r.status)).toEqual(['submitted', 'screened', 'funds_approved']);
    expect(new Set(rows.map((r) => r.email))).toEqual(new Set(['client@esdc.example.ca']));
    // References continue after the published demo opportunities of the same year.
    expect(rows[0].reference).toMatch(/^MA-2026-\d{4}$/);
    const before = await db('opportunities')
      .where('reference', 'like', 'MA-2026-%')
      .whereIn('status', publicStatuses)
      .max('reference as last')
      .first();
    const number = (reference: string) => Number(reference.slice(-4));
    expect(rows.map((r) => number(r.reference))).toEqual(
      [1, 2, 3].map((n) => number(before!.last) + n),
    );
    const funded = rows[2]!;
    const events = await db('events')
      .where({ entity_type: 'opportunity', entity_id: funded.id })
      .whereNotNull('to_state')
      .orderBy('id')
      .select('action', 'actor_id');
    expect(events.map((e) => e.action)).toEqual([
      'request_started',
      'submit',
      'screen',
      'approve_funds',
    ]);
    expect(events.every((e) => e.actor_id !== null)).toBe(true);
    expect(
      await db('fund_reservations').where({ opportunity_id: funded.id }).first(),
    ).toMatchObject({ amount_cents: 747_500, delegated_limit_cents: 1_000_000 });
  });

  it('gives every opportunity the status of its last status event', async () => {
    const rows: { reference: string; status: string; last: string | null }[] = await database
      .db('opportunities as o')
      .select(
        'o.reference',
        'o.status',
        database.db.raw(
          `(SELECT e.to_state FROM events e WHERE e.entity_type = 'opportunity'
            AND e.entity_id = o.id AND e.to_state IS NOT NULL ORDER BY e.id DESC LIMIT 1) AS last`,
        ),
      );
    expect(rows.length).toBe(20);
    expect(rows.filter((r) => r.status !== r.last)).toEqual([]);
    // Open ones, closed ones (one being evaluated), drawn, awarded, no qualified applicant, a
    // cancelled one, the pilot's terminated for non-delivery, a completed one and the requests in the queues.
    expect(new Set(rows.map((r) => r.status))).toEqual(
      new Set([
        'published',
        'closed',
        'drawn',
        'awarded',
        'no_qualified_applicant',
        'cancelled',
        'terminated',
        'completed',
        'submitted',
        'screened',
        'funds_approved',
      ]),
    );
    expect(rows.find((r) => r.reference.startsWith('MA-2021-'))?.status).toBe('terminated');
  });

  it('names who acted in every event, but the system’s: the closing job, the offer and the award', async () => {
    const { db } = database;
    const nobody = await db('events').whereNull('actor_id').select('action', 'entity_type');
    expect(nobody.length).toBeGreaterThan(0);
    expect(new Set(nobody.map((e) => `${e.entity_type} ${e.action}`))).toEqual(
      new Set([
        'opportunity close',
        'contract offer',
        'opportunity award',
        // After the award: the reservation follows the invoice, the card payment marks the
        // invoice paid and the supplier's confirmation completes the contract.
        'opportunity funds_adjusted_to_invoice',
        'invoice mark_paid',
        'contract complete_contract',
        'opportunity complete',
      ]),
    );
    const closings = await db('events').where({ action: 'close' }).count({ n: '*' }).first();
    const closed = await db('opportunities')
      .whereIn('status', [
        'closed',
        'drawn',
        'awarded',
        'no_qualified_applicant',
        'terminated',
        'completed',
      ])
      .count({ n: '*' })
      .first();
    expect(closings).toEqual(closed);
    expect(
      await db('events').whereNull('opportunity_id').orWhereNull('department_id').first(),
    ).toBeUndefined();
  });

  it('holds section 32 for every public opportunity, approved by someone else than the requester', async () => {
    const rows: {
      reference: string;
      status: string;
      requester_id: number;
      approved_by: number | null;
      released_at: Date | null;
    }[] = await database
      .db('opportunities as o')
      .leftJoin('fund_reservations as f', 'f.opportunity_id', 'o.id')
      .whereIn('o.status', publicStatuses)
      .select('o.reference', 'o.status', 'o.requester_id', 'f.approved_by', 'f.released_at');
    expect(rows.length).toBe(17);
    for (const row of rows) {
      expect(row.approved_by, row.reference).not.toBeNull();
      expect(row.approved_by, row.reference).not.toBe(row.requester_id);
      // Cancelled after publication: finance has since released the funds.
      if (row.status === 'cancelled') expect(row.released_at, row.reference).not.toBeNull();
      else expect(row.released_at, row.reference).toBeNull();
    }
  });

  it('keeps the cancellation’s reason in the one language it is written in (WCAG 3.1.2)', async () => {
    const cancels = await database.db('events').where({ action: 'cancel' }).select('reason_lang');
    expect(cancels.length).toBeGreaterThan(0);
    expect(cancels.map((e) => e.reason_lang)).toEqual(cancels.map(() => 'en'));
  });

  it('dates the history as today: open ones opened days ago, the pilot’s in 2021', async () => {
    const now = t.clock.now().getTime();
    const latest = await database.db('events').max('at as at').first();
    expect(new Date(latest!.at).getTime()).toBeLessThanOrEqual(now);
    const open = await database.db('opportunities').where({ status: 'published' });
    expect(open.length).toBe(6);
    for (const o of open) {
      expect(new Date(o.opens_at).getTime()).toBeLessThan(now);
      expect(new Date(o.closes_at).getTime()).toBeGreaterThan(now);
    }
    const pilot = await database.db('opportunities').where('reference', 'MA-2021-0001').first();
    expect(pilot.opens_at).toEqual(new Date('2021-06-23T14:00:00Z'));
    expect(pilot.closes_at).toEqual(new Date('2021-07-12T18:00:00Z'));
  });

  it('has demo suppliers with drafts and submitted applications on open opportunities, each step theirs', async () => {
    const { db } = database;
    const rows = await db('applications as a')
      .join('opportunities as o', 'o.id', 'a.opportunity_id')
      .join('users as u', 'u.id', 'a.supplier_id')
      .where('o.status', 'published')
      .select('a.id', 'a.status', 'a.supplier_id', 'u.email', 'u.kind');
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['draft', 'submitted']));
    expect(rows.every((r) => r.kind === 'supplier')).toBe(true);
    for (const row of rows) {
      const events = await statusEvents('application', row.id);
      expect(events.map((e) => e.to_state)).toEqual(
        row.status === 'draft' ? ['draft'] : ['draft', 'submitted'],
      );
      expect(events.every((e) => e.actor_id === row.supplier_id)).toBe(true);
      const answers = await db('application_answers').where({ application_id: row.id });
      expect(answers.length, row.email).toBeGreaterThan(0);
    }
    // Each submitted one has its fingerprint for the draw; no draft has.
    const fingerprinted = await db('draw_fingerprints').whereIn(
      'application_id',
      rows.map((r) => r.id),
    );
    expect(fingerprinted.length).toBe(rows.filter((r) => r.status === 'submitted').length);
  });

  it('has a closed opportunity under evaluation: the requester declared and judged one applicant', async () => {
    const o = await opportunity('Canada.ca date, time and money formatting package');
    expect(o.status).toBe('closed');
    const actions = (await fileEvents(o.id)).map((e) => e.action);
    expect(actions).toContain('declare_no_conflict');
    expect(actions.filter((a) => a === 'evaluation_saved')).toHaveLength(1);
    expect(actions).not.toContain('complete_evaluation');
    const evaluators = await database.db('evaluators').where({ opportunity_id: o.id });
    expect(evaluators).toHaveLength(1);
    expect(evaluators[0].user_id).toBe(o.requester_id);
    expect(evaluators[0].declared_at).not.toBeNull();
    const applications = await applicationsTo(o.id);
    expect(applications.map((a) => a.status)).toEqual(['submitted', 'submitted', 'submitted']);
  });

  it('has one drawn, the first in the draw order offered the contract and still to answer', async () => {
    const o = await opportunity('Fix postal code validation in our Python address package');
    expect(o.status).toBe('drawn');
    const actions = (await fileEvents(o.id)).map((e) => e.action);
    expect(actions.slice(-2)).toEqual(['complete_evaluation', 'draw']);
    const applications = await applicationsTo(o.id);
    expect(applications.map((a) => a.status).sort()).toEqual(['failed', 'passed', 'passed']);
    const order = await database.db('draw_results').where({ opportunity_id: o.id }).orderBy('rank');
    expect(order).toHaveLength(2);
    const contracts = await database.db('contracts').where({ opportunity_id: o.id });
    expect(contracts).toHaveLength(1);
    const offer = contracts[0];
    expect(offer.status).toBe('offered');
    expect(new Date(offer.respond_by).getTime()).toBeGreaterThan(t.clock.now().getTime());
    const first = applications.find((a) => a.id === order[0].application_id);
    expect(offer.supplier_id).toBe(first?.supplier_id);
    expect((await statusEvents('contract', offer.id)).map((e) => e.action)).toEqual(['offer']);
  });

  it('has one awarded, and the pilot’s Azure marketplace policies awarded to a demo supplier, the terms accepted', async () => {
    for (const [title, year] of [
      ['Software bill of materials in our continuous integration templates', 2026],
      ['Azure marketplace policies', 2021],
    ] as const) {
      const o = await opportunity(title);
      const actions = (await fileEvents(o.id)).map((e) => e.action);
      const awarded = actions.slice(0, actions.indexOf('award') + 1);
      expect(awarded.slice(-3), title).toEqual(['complete_evaluation', 'draw', 'award']);
      const contract = await database.db('contracts').where({ opportunity_id: o.id }).first();
      const supplier = await database.db('users').where({ id: contract.supplier_id }).first();
      expect(supplier.email, title).toMatch(/@supplier\.example\.com$/);
      const acceptance = await database
        .db('terms_acceptances')
        .where({ contract_id: contract.id })
        .first();
      expect(acceptance.supplier_id, title).toBe(supplier.id);
      expect(acceptance.language, title).toBe(supplier.preferred_language);
      expect(new Date(acceptance.accepted_at).getUTCFullYear(), title).toBe(year);
    }
    const sbom = await opportunity(
      'Software bill of materials in our continuous integration templates',
    );
    expect(sbom.status).toBe('awarded');
    const under = await database.db('contracts').where({ opportunity_id: sbom.id }).first();
    expect(under.status).toBe('in_progress');
    expect((await statusEvents('contract', under.id)).map((e) => e.action)).toEqual([
      'offer',
      'accept_terms',
    ]);
    expect((await opportunity('Azure marketplace policies')).reference).toBe('MA-2021-0001');
  });

  it('has the pilot’s contract terminated for non-delivery two weeks after its due date, the funds asked back, not re-posted', async () => {
    const o = await opportunity('Azure marketplace policies');
    expect(o.status).toBe('terminated');
    const contract = await database.db('contracts').where({ opportunity_id: o.id }).first();
    expect(contract.status).toBe('terminated');
    expect((await fileEvents(o.id)).map((e) => e.action).slice(-2)).toEqual(['award', 'terminate']);
    expect((await statusEvents('contract', contract.id)).map((e) => e.action)).toEqual([
      'offer',
      'accept_terms',
      'terminate_contract',
    ]);
    const end = await database
      .db('events')
      .where({ entity_type: 'opportunity', entity_id: o.id, action: 'terminate' })
      .first('at', 'reason_lang', 'actor_id');
    expect(end.actor_id).toBe(o.requester_id);
    expect(end.reason_lang).toBe('en');
    expect(new Date(end.at).toISOString().slice(0, 10)).toBe('2021-08-06');
    const reservation = await database
      .db('fund_reservations')
      .where({ opportunity_id: o.id })
      .first('release_requested_at');
    expect(reservation.release_requested_at).not.toBeNull();
    expect(await database.db('opportunities').where({ reposted_from_id: o.id })).toEqual([]);
  });

  it('has a contract at each stage after the award, each step by the person whose job it is', async () => {
    const { db } = database;
    const emailOf = async (id: unknown) => (await db('users').where({ id }).first('email'))?.email;
    const stage = async (title: string) => {
      const o = await opportunity(title);
      const contract = await db('contracts').where({ opportunity_id: o.id }).first();
      const invoice = await db('invoices').where({ contract_id: contract.id }).first();
      const payment = invoice && (await db('payments').where({ invoice_id: invoice.id }).first());
      const certification =
        invoice && (await db('invoice_certifications').where({ invoice_id: invoice.id }).first());
      return { o, contract, invoice, payment, certification };
    };
    const stages = {
      'Software bill of materials in our continuous integration templates': ['in_progress'],
      'Accessible error summary in the benefits estimator': ['delivered'],
      'Calendar file for booked appointments': ['accepted', 'submitted'],
      'Broken link report in the content publishing workflow': ['accepted', 'certified'],
      'Shared Renovate configuration for our Node.js repositories': ['accepted', 'certified'],
      'Service outage banner for our online services': ['completed', 'paid', 'confirmed'],
    };
    for (const [title, [contractStatus, invoiceStatus, paymentStatus]] of Object.entries(stages)) {
      const { o, contract, invoice, payment, certification } = await stage(title);
      // Once its contract is completed the opportunity should be too: nothing moves it yet.
      if (contractStatus !== 'completed') expect(o.status, title).toBe('awarded');
      expect([contract.status, invoice?.status, payment?.status], title).toEqual([
        contractStatus,
        invoiceStatus,
        paymentStatus,
      ]);
      if (certification)
        expect(await emailOf(certification.certified_by)).toBe('s34@esdc.example.ca');
      if (invoice) expect(invoice.received_at.getTime()).toBeLessThan(t.clock.now().getTime());
    }
    // Awaiting a card payment: the department's card exemption and the finance officer's card.
    const card = await stage('Broken link report in the content publishing workflow');
    expect(card.o.payment_method).toBe('card_direct');
    const department = await db('departments').where({ id: card.o.department_id }).first();
    expect(department.card_exemption_reference).toBe('CFO-2021-04');
    const cards = await db('acquisition_cards').where({ department_id: card.o.department_id });
    expect(await Promise.all(cards.map((c) => emailOf(c.cardholder_id)))).toEqual([
      'finance@esdc.example.ca',
    ]);
    // Awaiting a PayPal payout: its supplier has a PayPal email in their profile.
    const paypal = await stage('Shared Renovate configuration for our Node.js repositories');
    expect(paypal.o.payment_method).toBe('paypal_payout');
    const profile = await db('supplier_profiles').where({ user_id: paypal.contract.supplier_id });
    expect(profile[0].paypal_email).toMatch(/@/);
    // Completed: revisions asked once, paid by card by finance (not the section 34 manager, not
    // the requester), the receipt confirmed by the supplier.
    const done = await stage('Service outage banner for our online services');
    expect((await statusEvents('contract', done.contract.id)).map((e) => e.action)).toEqual([
      'offer',
      'accept_terms',
      'deliver',
      'request_revisions',
      'deliver',
      'accept_work',
      'complete_contract',
    ]);
    expect(done.payment).toMatchObject({ method: 'card_direct', card_last4: '4821' });
    expect(await emailOf(done.payment.requested_by)).toBe('finance@esdc.example.ca');
    expect(await emailOf(done.o.requester_id)).toBe('client@esdc.example.ca');
    const confirmation = (await statusEvents('payment', done.payment.id)).at(-1);
    expect(confirmation).toMatchObject({
      action: 'confirm_receipt',
      actor_id: done.contract.supplier_id,
    });
  });

  it('has one with no qualified applicant: every application failed, nothing drawn', async () => {
    const o = await opportunity('Validate submissions to the Open Resource Exchange');
    expect(o.status).toBe('no_qualified_applicant');
    const actions = (await fileEvents(o.id)).map((e) => e.action);
    expect(actions.slice(-2)).toEqual(['complete_evaluation', 'find_no_qualified_applicant']);
    expect((await applicationsTo(o.id)).map((a) => a.status)).toEqual(['failed', 'failed']);
    expect(await database.db('draw_results').where({ opportunity_id: o.id })).toEqual([]);
    expect(await database.db('contracts').where({ opportunity_id: o.id })).toEqual([]);
  });

  it('loads once: a second start changes nothing', async () => {
    const count = async () =>
      Promise.all(
        ['departments', 'users', 'opportunities', 'events', 'fund_reservations'].map(
          async (table) => Number((await database.db(table).count({ n: '*' }).first())?.n),
        ),
      );
    const before = await count();
    expect(await seedDemoOnce(t.deps, 'demo passphrase 2026')).toBe(false);
    expect(await count()).toEqual(before);
  });
});

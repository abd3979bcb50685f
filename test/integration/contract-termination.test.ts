import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoiceMachine } from '../../src/invoices/machine.ts';
import { create, transition } from '../../src/lifecycle/transition.ts';
import { opportunityMachine } from '../../src/opportunities/machine.ts';
import { easternDate } from '../../src/platform/dates.ts';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { aContractInProgress, type ContractFile } from '../helpers/contract-world.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { contractsOf, emailsTo, SUPPLIER_PASSWORD } from '../helpers/offers-world.ts';
import { insertPerson, signIn } from '../helpers/people.ts';
import { defaultDepartment } from '../helpers/scenario-people.ts';

let database: TestDatabase;
let t: TestApp;

const PASSWORD = 'contract termination passphrase';
const CLIENT = 'camille@esdc.example.ca';
const OFFICER = 'olga@esdc.example.ca';
const FINANCE = 'felix@esdc.example.ca';
const REASON = 'Nothing was delivered and the supplier stopped answering after the due date.';

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  const department = await defaultDepartment(database.db);
  for (const [email, role] of [
    [CLIENT, 'client'],
    [OFFICER, 'program_officer'],
    [FINANCE, 'finance_officer'],
  ] as const) {
    await insertPerson(database.db, {
      email,
      password: PASSWORD,
      confirmedAt: t.clock.now(),
      grants: [{ role, department }],
    });
  }
});

afterAll(async () => {
  await database.drop();
});

const opportunityOf = (file: ContractFile) =>
  database.db('opportunities').where({ id: file.s.id }).first('status', 'reference');

const releaseRequested = async (file: ContractFile) =>
  (
    await database
      .db('fund_reservations')
      .where({ opportunity_id: file.s.id })
      .first('release_requested_at')
  ).release_requested_at as Date | null;

const fundEmails = (file: ContractFile) =>
  emailsTo(t, FINANCE, 'contract-funds-release').then((emails) =>
    emails.filter((m) => m.data.reference === file.s.reference),
  );

async function terminate(file: ContractFile, then: 'next_in_line' | 'end', who = CLIENT) {
  const id = file.contractId;
  const browser = await signIn(t.app, who, PASSWORD);
  const { version } = await database.db('contracts').where({ id }).first('version');
  const res = await browser.post(
    url('contractTermination', { id }, 'en'),
    { version: String(version), terminationReason: REASON, then, confirm: 'yes' },
    url('contract', { id }, 'en'),
  );
  expect(res.status, res.text.slice(0, 300)).toBe(303);
  return browser;
}

describe('termination for non-delivery (issue 12, item 3)', () => {
  it('offers the work to the next passing applicant in the draw order', async () => {
    const file = await aContractInProgress(t, { passers: 2 });
    await terminate(file, 'next_in_line', OFFICER);

    const contracts = await contractsOf(t, file.s.id);
    expect(contracts.map((c) => [c.supplier_id, c.status, c.draw_position])).toEqual([
      [file.ranked[0]!.userId, 'terminated', 1],
      [file.ranked[1]!.userId, 'offered', 2],
    ]);
    expect((await opportunityOf(file)).status).toBe('drawn');
    const steps = await database
      .db('events')
      .where({ opportunity_id: file.s.id })
      .whereIn('action', ['terminate_contract', 'offer_next_in_line', 'offer'])
      .orderBy('id')
      .select('entity_type', 'action', 'from_state', 'to_state', 'reason');
    expect(steps.slice(1)).toMatchObject([
      {
        entity_type: 'contract',
        action: 'terminate_contract',
        to_state: 'terminated',
        reason: REASON,
      },
      {
        entity_type: 'opportunity',
        action: 'offer_next_in_line',
        from_state: 'awarded',
        to_state: 'drawn',
      },
      { entity_type: 'contract', action: 'offer', to_state: 'offered' },
    ]);
    const [told] = await emailsTo(t, file.supplier.email, 'contract-terminated');
    expect(told?.data.detail).toBe(REASON);
    expect(await emailsTo(t, file.ranked[1]!.email, 'offer-selected')).toHaveLength(1);
    // The funds are still needed: finance is not asked for them.
    expect(await releaseRequested(file)).toBeNull();
    expect(await fundEmails(file)).toEqual([]);

    // No payment can follow: an invoice needs accepted work.
    await expect(
      database.db.transaction((trx) =>
        create(trx, invoiceMachine, {
          values: {
            opportunity_id: file.s.id,
            department_id: file.s.departmentId,
            contract_id: file.contractId,
            supplier_id: file.supplier.id,
            invoice_number: `${file.s.reference}-1`,
            invoice_date: easternDate(t.clock.now()),
            received_at: t.clock.now(),
            payment_due_on: '2027-03-01',
            reservation_number: `FR-${file.s.reference}`,
            pre_tax_cents: 500_000,
            province: 'ON',
            tax_cents: 0,
            amount_cents: 500_000,
            supplier_legal_name: file.supplier.displayName,
            supplier_email: file.supplier.email,
          },
          actor: file.supplier,
          now: t.clock.now(),
        }),
      ),
    ).rejects.toThrow(/the work is not accepted/);

    // The supplier reads that the contract ended without payment; the department's page says who is next.
    const supplier = await signIn(t.app, file.supplier.email, SUPPLIER_PASSWORD);
    const page = await supplier.client.get(url('contract', { id: file.contractId }, 'en'));
    expect(page.text).toContain(
      'This contract was terminated for non-delivery. No payment will be made.',
    );
    expect(page.text).not.toContain('Send the check-in');

    // The next one accepts two days later: the opportunity is awarded again, and the new
    // supplier has as many days as the first had.
    const first = await database.db('contracts').where({ id: file.contractId }).first('due_on');
    const firstAccepted = await database
      .db('terms_acceptances')
      .where({ contract_id: file.contractId })
      .first('accepted_at');
    t.clock.set(new Date(t.clock.now().getTime() + 2 * 86_400_000));
    const next = await signIn(t.app, file.ranked[1]!.email, SUPPLIER_PASSWORD);
    const offer = contracts[1]!;
    const terms = await database.db('terms_versions').orderBy('number', 'desc').first('id');
    const accepted = await next.post(
      url('acceptOffer', { id: offer.id }, 'en'),
      { version: String(offer.version), terms: String(terms.id), agree: 'yes' },
      url('offer', { id: offer.id }, 'en'),
    );
    expect(accepted.status).toBe(303);
    expect((await opportunityOf(file)).status).toBe('awarded');
    const days = (from: string, to: string) =>
      (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
    const second = await database.db('contracts').where({ id: offer.id }).first('due_on');
    expect(days(easternDate(firstAccepted.accepted_at), first.due_on)).toBe(
      days(easternDate(t.clock.now()), second.due_on),
    );
    expect(second.due_on > first.due_on).toBe(true);
  });

  it('ends the opportunity when no one is left, and asks finance to release the funds', async () => {
    const file = await aContractInProgress(t, { passers: 1 });
    await terminate(file, 'next_in_line');
    expect((await contractsOf(t, file.s.id)).map((c) => c.status)).toEqual(['terminated']);
    expect((await opportunityOf(file)).status).toBe('terminated');
    expect(await releaseRequested(file)).toEqual(t.clock.now());
    const [ask] = await fundEmails(file);
    expect(ask?.data).toMatchObject({
      detail: REASON,
      link: { en: url('request', { ref: file.s.reference }, 'en') },
    });
    // Not the "cancel or re-post" email: the opportunity has already ended.
    expect(await emailsTo(t, CLIENT, 'offer-exhausted')).toEqual([]);
  });

  it('ends the opportunity when the next one declines and no one else is left', async () => {
    const file = await aContractInProgress(t, { passers: 2 });
    await terminate(file, 'next_in_line');
    const [, offer] = await contractsOf(t, file.s.id);
    const next = await signIn(t.app, file.ranked[1]!.email, SUPPLIER_PASSWORD);
    const declined = await next.post(
      url('declineOffer', { id: offer!.id }, 'en'),
      { version: String(offer!.version), confirm: 'yes' },
      url('offer', { id: offer!.id }, 'en'),
    );
    expect(declined.status).toBe(303);
    expect((await opportunityOf(file)).status).toBe('terminated');
    const end = await database
      .db('events')
      .where({ entity_type: 'opportunity', entity_id: file.s.id, action: 'end_after_termination' })
      .first('actor_id', 'from_state', 'to_state');
    expect(end).toEqual({ actor_id: null, from_state: 'drawn', to_state: 'terminated' });
    expect(await releaseRequested(file)).toEqual(t.clock.now());
    expect(await fundEmails(file)).toHaveLength(1);
    for (const email of [CLIENT, OFFICER]) {
      const told = (await emailsTo(t, email, 'contract-no-one-left')).filter(
        (m) => m.data.reference === file.s.reference,
      );
      expect(told, email).toHaveLength(1);
    }
    expect(await emailsTo(t, CLIENT, 'offer-exhausted')).toEqual([]);
  });

  it('ends the opportunity, asks finance for the funds, then the client re-posts it', async () => {
    const file = await aContractInProgress(t, { passers: 2 });
    const client = await terminate(file, 'end');
    const o = await opportunityOf(file);
    expect(o.status).toBe('terminated');
    expect((await contractsOf(t, file.s.id)).map((c) => c.status)).toEqual(['terminated']);
    expect(await releaseRequested(file)).toEqual(t.clock.now());
    expect(await fundEmails(file)).toHaveLength(1);

    const page = await client.client.get(url('contract', { id: file.contractId }, 'en'));
    expect(page.text).toContain('finance was asked to release the reserved funds');
    expect(page.text).toContain(url('repostRequest', { ref: o.reference }, 'en'));
    const reposted = await client.post(
      url('repostRequest', { ref: o.reference }, 'en'),
      {},
      url('repostRequest', { ref: o.reference }, 'en'),
    );
    expect(reposted.status).toBe(303);
    const copy = await database
      .db('opportunities')
      .where({ reposted_from_id: file.s.id })
      .first('status', 'reference');
    expect(copy.status).toBe('draft');
    expect(reposted.headers.location).toBe(
      url('requestStep', { ref: copy.reference, step: 1 }, 'en'),
    );
  });

  it('refuses a termination without a reason, keeping what was chosen, in French', async () => {
    const file = await aContractInProgress(t);
    const id = file.contractId;
    const browser = await signIn(t.app, CLIENT, PASSWORD, 'fr');
    const res = await browser.post(
      url('contractTermination', { id }, 'fr'),
      { version: '2', terminationReason: ' ', then: 'end', confirm: 'yes' },
      url('contract', { id }, 'fr'),
    );
    expect(res.status).toBe(400);
    expect(res.text).toContain('Saisissez un motif pour continuer.');
    expect(res.text).toMatch(/value="end" checked/);
    // A stale version: the refusal in the page's language, nothing changed.
    const stale = await browser.post(
      url('contractTermination', { id }, 'fr'),
      { version: '1', terminationReason: REASON, then: 'end', confirm: 'yes' },
      url('contract', { id }, 'fr'),
    );
    expect(stale.status).toBe(409);
    expect(stale.text).toContain(REASON);
    // The form comes back on the contract's current version: sent again, it is taken.
    expect(stale.text).toContain('name="version" value="2"');
    expect((await database.db('contracts').where({ id }).first('status')).status).toBe(
      'in_progress',
    );
    expect(t.missingKeys).toEqual([]);
  });

  it('puts an awarded opportunity back in the draw order only after a termination', async () => {
    const file = await aContractInProgress(t);
    const { version } = await database
      .db('opportunities')
      .where({ id: file.s.id })
      .first('version');
    const step = database.db.transaction((trx) =>
      transition(trx, opportunityMachine, {
        id: file.s.id,
        action: 'offer_next_in_line',
        actor: file.client,
        expectedVersion: version,
        now: t.clock.now(),
      }),
    );
    await expect(step).rejects.toMatchObject({
      failure: { kind: 'guard', failure: { code: 'no_termination' } },
    });
    // The database refuses it too, whatever writes the row.
    await expect(
      database.db('opportunities').where({ id: file.s.id }).update({ status: 'drawn' }),
    ).rejects.toThrow(/back to drawn only after a termination/);
  });
});

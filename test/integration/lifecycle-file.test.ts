import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeGrants } from '../../src/accounts/repo.ts';
import { applicationMachine } from '../../src/applications/machine.ts';
import { contractMachine } from '../../src/contracts/machine.ts';
import { invoiceMachine } from '../../src/invoices/machine.ts';
import { availableActions } from '../../src/lifecycle/access.ts';
import type { Machine, StatefulRow } from '../../src/lifecycle/machine.ts';
import { create, transition, TransitionError } from '../../src/lifecycle/transition.ts';
import { opportunityMachine } from '../../src/opportunities/machine.ts';
import { paymentMachine } from '../../src/payments/machine.ts';
import type { CurrentUser } from '../../src/platform/auth.ts';
import type { Role } from '../../src/platform/roles.ts';
import { createTranslator } from '../../src/platform/i18n.ts';
import { presentHistory } from '../../src/review/history.ts';
import { historyOf } from '../../src/review/repo.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { aCertifiedInvoice } from '../helpers/contract-world.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment } from '../helpers/fixtures.ts';

/**
 * The engine across one file: an opportunity, its application, the contract offered, the
 * invoice and the payment are five machines, and segregation of duties reads the events of all
 * of them. The later states are reached here by the engine alone, as the next issues' screens
 * will reach them.
 */
let database: TestDatabase;
let esdc: number;
let t: TestApp;
const people: Record<string, CurrentUser> = {};

async function person(name: string, kind: 'staff' | 'supplier', roles: Role[] = []) {
  const [user] = await database
    .db('users')
    .insert({ email: `${name}@example.ca`, kind, display_name: name })
    .returning('id');
  for (const role of roles) {
    await database.db('role_grants').insert({ user_id: user.id, role, department_id: esdc });
  }
  people[name] = {
    id: Number(user.id),
    email: `${name}@example.ca`,
    kind,
    displayName: name,
    language: 'en',
    grants: await activeGrants(database.db, user.id),
  };
}

const inTrx = <T>(
  run: (trx: Parameters<Parameters<typeof database.db.transaction>[0]>[0]) => Promise<T>,
) => database.db.transaction(run);

async function step<Row extends StatefulRow, State extends string>(
  machine: Machine<Row, State>,
  id: number,
  action: string,
  actor: CurrentUser | null,
) {
  const { version } = await database.db(machine.table).where({ id }).first('version');
  return inTrx((trx) =>
    transition(trx, machine, { id, action, actor, expectedVersion: version, now: t.clock.now() }),
  );
}

async function refused<Row extends StatefulRow, State extends string>(
  ...args: Parameters<typeof step<Row, State>>
) {
  try {
    await step(...args);
  } catch (error) {
    if (error instanceof TransitionError) return error.failure;
    throw error;
  }
  throw new Error('not refused');
}

/**
 * The file up to a certified invoice, through the features' own steps (test/helpers/contract-world.ts:
 * draw, terms, delivery, review, invoice, section 34 by `certifierAndPayer`, the department's first
 * section 34 manager), then a card payment requested by `finance` and left pending.
 */
async function certifiedInvoice() {
  const file = await aCertifiedInvoice(t);
  const invoice = await database.db('invoices').where({ id: file.invoiceId }).first();
  const { id: paymentId } = await inTrx((trx) =>
    create(trx, paymentMachine, {
      values: {
        opportunity_id: file.s.id,
        department_id: esdc,
        invoice_id: file.invoiceId,
        supplier_id: file.supplier.id,
        amount_cents: invoice.amount_cents,
        method: 'card_direct',
        requested_by: people.finance!.id,
        card_last4: '4242',
        card_authorization_code: 'A1B2C3',
        card_exemption_reference: 'EX-1',
        paid_on: '2026-11-23',
      },
      actor: people.finance!,
      now: t.clock.now(),
    }),
  );
  return {
    opportunityId: file.s.id,
    contractId: file.contractId,
    invoiceId: file.invoiceId!,
    paymentId,
    supplier: file.supplier,
    certifierId: file.certifierId,
  };
}

beforeAll(async () => {
  database = await createTestDatabase();
  esdc = await insertDepartment(database.db);
  t = await createTestApp(database.db);
  await person('client', 'staff', ['client']);
  await person('officer', 'staff', ['program_officer']);
  await person('certifierAndPayer', 'staff', ['section34_manager', 'finance_officer']);
  await person('finance', 'staff', ['finance_officer']);
  await person('ada', 'supplier');
  await person('etienne', 'supplier');
});

afterAll(async () => {
  await database.drop();
});

describe('one file, five machines', () => {
  it('refuses payment by the person who certified the invoice: section 34 and 33 on one file', async () => {
    const { paymentId, certifierId } = await certifiedInvoice();
    expect(certifierId).toBe(people.certifierAndPayer!.id);
    expect(
      await refused(paymentMachine, paymentId, 'pay_by_card', people.certifierAndPayer!),
    ).toEqual({
      kind: 'segregation',
      conflicts: [{ reason: 'same_person_certifies_and_pays', earlierDuty: 'certify' }],
    });
    await step(paymentMachine, paymentId, 'pay_by_card', people.finance!);
    const row = await database.db('payments').where({ id: paymentId }).first();
    expect([row.status, row.version]).toEqual(['paid', 2]);
  });

  it('records every step of every entity in the file, with its opportunity, department and duty', async () => {
    const { opportunityId, paymentId } = await certifiedInvoice();
    await step(paymentMachine, paymentId, 'pay_by_card', people.finance!);
    const events = await database
      .db('events')
      .where({ opportunity_id: opportunityId })
      .orderBy('id')
      .select('entity_type', 'action', 'from_state', 'to_state', 'department_id', 'duty');
    const afterAward = events.filter((e) =>
      ['contract', 'invoice', 'payment'].includes(e.entity_type),
    );
    expect(
      afterAward.map((e) => [e.entity_type, e.action, e.from_state, e.to_state, e.duty]),
    ).toEqual([
      ['contract', 'offer', null, 'offered', null],
      ['contract', 'accept_terms', 'offered', 'in_progress', null],
      ['contract', 'deliver', 'in_progress', 'delivered', null],
      ['contract', 'accept_work', 'delivered', 'accepted', null],
      ['invoice', 'invoice', null, 'submitted', null],
      ['invoice', 'certify', 'submitted', 'certified', 'certify'],
      ['payment', 'create', null, 'pending', null],
      ['payment', 'pay_by_card', 'pending', 'paid', 'pay'],
    ]);
    expect(new Set(events.map((e) => e.entity_type))).toEqual(
      new Set(['opportunity', 'application', 'contract', 'invoice', 'payment']),
    );
    expect(new Set(events.map((e) => e.department_id))).toEqual(new Set([esdc]));
  });

  it('lets only the supplier whose record it is take a supplier step', async () => {
    const { contractId, supplier } = await certifiedInvoice();
    const [contract] = await database.db('contracts').where({ id: contractId });
    expect(availableActions(contractMachine, { ...contract, status: 'offered' }, supplier)).toEqual(
      ['accept_terms', 'decline_offer'],
    );
    expect(
      availableActions(contractMachine, { ...contract, status: 'offered' }, people.etienne!),
    ).toEqual([]);
    // Another supplier is refused before anything else is looked at.
    expect(await refused(contractMachine, contractId, 'deliver', people.etienne!)).toEqual({
      kind: 'forbidden',
    });
  });

  it('refuses a creation by someone without the role, and writes nothing', async () => {
    const before = await database.db('events').count<{ n: string }[]>({ n: '*' });
    await expect(
      inTrx((trx) =>
        create(trx, opportunityMachine, {
          values: { reference: 'MA-2026-0199', department_id: esdc, requester_id: people.ada!.id },
          actor: people.ada!,
          now: t.clock.now(),
        }),
      ),
    ).rejects.toMatchObject({ failure: { kind: 'forbidden' } });
    const after = await database.db('events').count<{ n: string }[]>({ n: '*' });
    expect(after).toEqual(before);
  });

  it('shows department staff the whole file, labelled, without naming the supplier', async () => {
    const { opportunityId, supplier } = await certifiedInvoice();
    const fr = (await createTranslator()).t('fr');
    const history = presentHistory(await historyOf(database.db, opportunityId), 'fr', fr);
    expect(history.map((h) => h.what)).toContain('Modalités acceptées par le fournisseur');
    expect(history.map((h) => h.what)).toContain('Facture attestée (article 34)');
    const suppliersSteps = history.filter((h) => h.who === 'Un fournisseur');
    // Every step a supplier took (the winner's and the other applicant's), and no staff step.
    const bySupplier = await database
      .db('events as e')
      .join('users as u', 'u.id', 'e.actor_id')
      .where({ 'e.opportunity_id': opportunityId, 'u.kind': 'supplier' })
      .count<{ n: string }[]>({ n: '*' });
    expect(suppliersSteps.length).toBe(Number(bySupplier[0]!.n));
    expect(suppliersSteps.length).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(history)).not.toContain(supplier.email);
    expect(JSON.stringify(history)).not.toContain(supplier.displayName);
  });
});

describe('the database and the machines', () => {
  it('allow exactly the same states, table by table', async () => {
    for (const machine of [
      opportunityMachine,
      applicationMachine,
      contractMachine,
      invoiceMachine,
      paymentMachine,
    ]) {
      const { rows } = await database.db.raw(
        `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = ?`,
        [`${machine.table}_status_known`],
      );
      const allowed = [...String(rows[0]?.def).matchAll(/'([a-z_]+)'/g)].map((m) => m[1]);
      expect(new Set(allowed), machine.table).toEqual(new Set(machine.states));
    }
  });
});

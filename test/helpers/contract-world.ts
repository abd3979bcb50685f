import { contractMachine } from '../../src/contracts/machine.ts';
import { invoiceMachine } from '../../src/invoices/machine.ts';
import { create, transition } from '../../src/lifecycle/transition.ts';
import { acceptOffer } from '../../src/offers/answers.ts';
import type { CurrentUser } from '../../src/platform/auth.ts';
import type { Lang } from '../../src/platform/i18n.ts';
import { currentTerms } from '../../src/terms/repo.ts';
import type { TestApp } from './app.ts';
import { anEvaluatedOpportunity, theDraw, type Applicant, type Evaluated } from './offers-world.ts';
import { currentUserOf, staffFor } from './scenario-people.ts';

/**
 * The world after the award, one stage per builder, each from the one before:
 * aContractInProgress → aDeliveredContract → anAcceptedContract → aSubmittedInvoice →
 * aCertifiedInvoice. Every step goes through the lifecycle (the feature's own action where it
 * exists). A stage whose feature lands replaces its body with that feature's service call and
 * keeps its signature, so every test above it walks the real path.
 */
export interface ContractFile extends Evaluated {
  /** The applicants in the draw order; `ranked[0]` holds the contract. */
  ranked: Applicant[];
  contractId: number;
  supplier: CurrentUser;
  /** The client who requested the work (and evaluated it). */
  client: CurrentUser;
  invoiceId?: number;
  certifierId?: number;
}

export interface ContractOptions {
  /** How many applicants pass (default 2: one to hold the contract, one next in line). */
  passers?: number;
  /** The language of the supplier who wins. */
  language?: Lang;
}

const inTrx = <T>(t: TestApp, run: Parameters<TestApp['deps']['db']['transaction']>[0]) =>
  t.deps.db.transaction(run) as Promise<T>;

async function step(
  t: TestApp,
  machine: typeof contractMachine | typeof invoiceMachine,
  id: number,
  action: string,
  actor: CurrentUser | null,
) {
  const { version } = await t.deps.db(machine.table).where({ id }).first('version');
  await inTrx(t, (trx) =>
    transition(trx, machine as typeof contractMachine, {
      id,
      action: action as 'deliver',
      actor,
      expectedVersion: version,
      now: t.clock.now(),
    }),
  );
}

/** The first drawn accepted the terms: the contract is under way, the opportunity awarded. */
export async function aContractInProgress(
  t: TestApp,
  options: ContractOptions = {},
): Promise<ContractFile> {
  const passers = options.passers ?? 2;
  const plan = Array.from({ length: passers }, (_, i) => ({
    passes: true,
    language: i === 0 ? options.language : undefined,
  }));
  const evaluated = await anEvaluatedOpportunity(t, plan);
  const ranked = await theDraw(t, evaluated);
  const { db } = t.deps;
  const contract = await db('contracts')
    .where({ opportunity_id: evaluated.s.id, status: 'offered' })
    .first('id', 'version', 'supplier_id');
  const supplier = await currentUserOf(db, Number(contract.supplier_id));
  const terms = await currentTerms(db);
  await inTrx(t, (trx) =>
    acceptOffer(trx, supplier, {
      contractId: Number(contract.id),
      version: contract.version,
      termsVersionId: terms.id,
      language: supplier.language,
      now: t.clock.now(),
    }),
  );
  const client = await currentUserOf(db, evaluated.s.people.requester);
  return { ...evaluated, ranked, contractId: Number(contract.id), supplier, client };
}

/** The supplier delivered the work. */
export async function aDeliveredContract(
  t: TestApp,
  options: ContractOptions = {},
): Promise<ContractFile> {
  const file = await aContractInProgress(t, options);
  await step(t, contractMachine, file.contractId, 'deliver', file.supplier);
  return file;
}

/** The client accepted the delivered work. */
export async function anAcceptedContract(
  t: TestApp,
  options: ContractOptions = {},
): Promise<ContractFile> {
  const file = await aDeliveredContract(t, options);
  await step(t, contractMachine, file.contractId, 'accept_work', file.client);
  return file;
}

/** The supplier submitted their invoice for the accepted work. */
export async function aSubmittedInvoice(
  t: TestApp,
  options: ContractOptions = {},
): Promise<ContractFile> {
  const file = await anAcceptedContract(t, options);
  const { db } = t.deps;
  const opportunity = await db('opportunities').where({ id: file.s.id }).first();
  const reservation = await db('fund_reservations')
    .where({ opportunity_id: file.s.id })
    .whereNull('released_at')
    .first('reservation_number');
  const preTax = Number(opportunity.price_cents);
  const tax = Math.floor((preTax * 1300 + 5000) / 10000);
  const { id } = await inTrx<{ id: number }>(t, (trx) =>
    create(trx, invoiceMachine, {
      values: {
        opportunity_id: file.s.id,
        department_id: file.s.departmentId,
        contract_id: file.contractId,
        supplier_id: file.supplier.id,
        invoice_number: `${opportunity.reference}-1`,
        invoice_date: '2026-11-23',
        received_at: t.clock.now(),
        payment_due_on: '2026-12-23',
        reservation_number: reservation.reservation_number,
        pre_tax_cents: preTax,
        province: 'ON',
        gst_hst_number: '123456789RT0001',
        tax_kind: 'HST',
        tax_basis_points: 1300,
        tax_cents: tax,
        amount_cents: preTax + tax,
        supplier_legal_name: file.supplier.displayName,
        supplier_email: file.supplier.email,
      },
      actor: file.supplier,
      now: t.clock.now(),
    }),
  );
  return { ...file, invoiceId: id };
}

/** A section 34 manager of the department certified the invoice. */
export async function aCertifiedInvoice(
  t: TestApp,
  options: ContractOptions = {},
): Promise<ContractFile> {
  const file = await aSubmittedInvoice(t, options);
  const { db } = t.deps;
  const certifierId = await staffFor(db, file.s.departmentId, 'section34_manager', {
    now: t.clock.now(),
    notIds: [file.client.id],
  });
  await db('invoice_certifications').insert({
    invoice_id: file.invoiceId,
    opportunity_id: file.s.id,
    department_id: file.s.departmentId,
    certified_by: certifierId,
    certified_at: t.clock.now(),
    wording: 'I certify that the work was performed and the price is according to the contract.',
    wording_lang: 'en',
    evidence: {},
  });
  await step(t, invoiceMachine, file.invoiceId!, 'certify', await currentUserOf(db, certifierId));
  return { ...file, certifierId };
}

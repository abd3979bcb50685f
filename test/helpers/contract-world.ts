import { certifyInvoice } from '../../src/certification/service.ts';
import { deliverWork, reviewWork } from '../../src/delivery/service.ts';
import { submitInvoice } from '../../src/invoices/service.ts';
import { acceptOffer } from '../../src/offers/answers.ts';
import type { CurrentUser } from '../../src/platform/auth.ts';
import { easternDate } from '../../src/platform/dates.ts';
import type { Lang } from '../../src/platform/i18n.ts';
import type { Province } from '../../src/platform/money.ts';
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
  /** The client who requests the work (by default someone who holds the role). */
  requester?: number;
}

const inTrx = <T>(t: TestApp, run: Parameters<TestApp['deps']['db']['transaction']>[0]) =>
  t.deps.db.transaction(run) as Promise<T>;

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
  const evaluated = await anEvaluatedOpportunity(t, plan, { requester: options.requester });
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

/** The supplier delivered the work: one round, a pull request on the opportunity's repository. */
export async function aDeliveredContract(
  t: TestApp,
  options: ContractOptions = {},
): Promise<ContractFile> {
  const file = await aContractInProgress(t, options);
  const { db } = t.deps;
  const { repository_url: repository } = await db('opportunities')
    .where({ id: file.s.id })
    .first('repository_url');
  const { version } = await db('contracts').where({ id: file.contractId }).first('version');
  await inTrx(t, (trx) =>
    deliverWork(trx, file.supplier, {
      contractId: file.contractId,
      version,
      links: [{ kind: 'pull_request', url: `${repository}/pull/1` }],
      notes: 'The pull request meets every work acceptance criterion.',
      notesLang: file.supplier.language,
      now: t.clock.now(),
    }),
  );
  return file;
}

/** The client reviewed the delivered work, every work acceptance criterion met, and accepted it. */
export async function anAcceptedContract(
  t: TestApp,
  options: ContractOptions = {},
): Promise<ContractFile> {
  const file = await aDeliveredContract(t, options);
  const { db } = t.deps;
  const criteria: { id: number }[] = await db('acceptance_criteria')
    .where({ opportunity_id: file.s.id })
    .select('id');
  const { version } = await db('contracts').where({ id: file.contractId }).first('version');
  await inTrx(t, (trx) =>
    reviewWork(trx, file.client, {
      contractId: file.contractId,
      version,
      decision: 'accept',
      judgements: criteria.map((c) => ({ criterionId: Number(c.id), met: true, comment: '' })),
      reason: '',
      reasonLang: file.client.language,
      now: t.clock.now(),
    }),
  );
  return file;
}

/** How the supplier invoices: their profile's province and GST/HST registration, the date. */
export interface InvoiceOptions extends ContractOptions {
  /** Ontario (13% HST) unless given. */
  province?: Province;
  /** Registered (a GST/HST number) unless null: an unregistered supplier charges no tax. */
  gstHstNumber?: string | null;
  /** Today in Toronto unless given. */
  invoiceDate?: string;
}

/** The supplier's profile as an invoice reads it (legal name, province, GST/HST number). */
export async function aSupplierProfile(
  t: TestApp,
  supplierId: number,
  options: Pick<InvoiceOptions, 'province' | 'gstHstNumber'> = {},
): Promise<void> {
  const profile = {
    legal_name: `Supplier ${supplierId} Inc.`,
    province: options.province ?? 'ON',
    gst_hst_number: options.gstHstNumber === undefined ? '123456789RT0001' : options.gstHstNumber,
  };
  await t.deps
    .db('supplier_profiles')
    .insert({ user_id: supplierId, ...profile })
    .onConflict('user_id')
    .merge(profile);
}

/** The supplier submitted their invoice for the accepted work, through the invoice service. */
export async function aSubmittedInvoice(
  t: TestApp,
  options: InvoiceOptions = {},
): Promise<ContractFile> {
  const file = await anAcceptedContract(t, options);
  await aSupplierProfile(t, file.supplier.id, options);
  const { reference } = await t.deps
    .db('opportunities')
    .where({ id: file.s.id })
    .first('reference');
  const { invoiceId } = await inTrx<{ invoiceId: number }>(t, (trx) =>
    submitInvoice(trx, file.supplier, {
      contractId: file.contractId,
      invoiceNumber: `${reference}-1`,
      invoiceDate: options.invoiceDate ?? easternDate(t.clock.now()),
      now: t.clock.now(),
    }),
  );
  return { ...file, invoiceId };
}

/** A section 34 manager of the department certified the invoice, through the certification service. */
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
  const { version } = await db('invoices').where({ id: file.invoiceId }).first('version');
  const reference = (await db('opportunities').where({ id: file.s.id }).first('reference'))
    .reference as string;
  const certified = await certifyInvoice(
    t.deps,
    await currentUserOf(db, certifierId),
    reference,
    { attest: 'yes', version },
    { lang: 'en', t: t.deps.translator.t('en') },
  );
  if (!certified.ok) throw new Error(`certification refused: ${certified.failure.kind}`);
  return { ...file, certifierId };
}

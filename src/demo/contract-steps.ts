import { certifyInvoice } from '../certification/service.ts';
import { deliverWork, reviewWork } from '../delivery/service.ts';
import { submitInvoice } from '../invoices/service.ts';
import { inOneTransaction } from '../lifecycle/transition.ts';
import type { OpportunityRow } from '../opportunities/row.ts';
import type { CurrentUser } from '../platform/auth.ts';
import { easternDate } from '../platform/dates.ts';
import type { Role } from '../platform/roles.ts';
import { payByCard } from '../payments/card.ts';
import { confirmReceipt } from '../payments/completion.ts';
import { cardsOfDepartment } from '../payments/repo.ts';
import type { ContractAction } from './contract-timeline.ts';
import { holderOf } from './people.ts';
import type { Replay } from './replay.ts';
import type { DemoPlan } from './timeline.ts';

/**
 * A demo contract's steps after the award, each through the service its page calls, as the
 * person whose job it is: the supplier delivers, invoices and confirms the money arrived; the
 * requester reviews each work acceptance criterion; the department's section 34 manager
 * certifies; its finance officer pays with the acquisition card they hold (never the certifier,
 * never the requester: three demo people).
 */

type Step = { ok: boolean } & Record<string, unknown>;

const ok = { ok: true };

async function contractOf(r: Replay, row: OpportunityRow) {
  const contract = await r.deps
    .db('contracts')
    .where({ opportunity_id: row.id })
    .orderBy('id', 'desc')
    .first('id', 'version', 'supplier_id');
  const supplier = [...r.people.values()].find((p) => p.id === Number(contract?.supplier_id));
  if (!contract || !supplier) throw new Error(`Demo opportunity ${row.reference}: no contract`);
  return { id: Number(contract.id), version: Number(contract.version), supplier };
}

/** Every work acceptance criterion met, or all but the last with the content's comment. */
async function review(
  r: Replay,
  plan: DemoPlan,
  row: OpportunityRow,
  client: CurrentUser,
  accept: boolean,
) {
  const contract = await contractOf(r, row);
  const criteria: { id: number }[] = await r.deps
    .db('acceptance_criteria')
    .where({ opportunity_id: row.id })
    .orderBy('position')
    .select('id');
  const revisions = plan.spec.contract?.revisions;
  const judgements = criteria.map((c, i) => {
    const met = accept || i < criteria.length - 1;
    return { criterionId: Number(c.id), met, comment: met ? '' : (revisions?.comment ?? '') };
  });
  return inOneTransaction(r.deps.db, (trx) =>
    reviewWork(trx, client, {
      contractId: contract.id,
      version: contract.version,
      decision: accept ? 'accept' : 'revisions',
      judgements,
      reason: accept ? '' : (revisions?.reason ?? ''),
      reasonLang: client.language,
      now: r.deps.clock.now(),
    }),
  );
}

async function deliveryRounds(r: Replay, contractId: number): Promise<number> {
  const row = await r.deps.db('deliveries').where({ contract_id: contractId }).count({ n: '*' });
  return Number(row[0]?.n ?? 0);
}

async function deliver(r: Replay, plan: DemoPlan, row: OpportunityRow): Promise<Step> {
  const contract = await contractOf(r, row);
  const round = (await deliveryRounds(r, contract.id)) + 1;
  return inOneTransaction(r.deps.db, (trx) =>
    deliverWork(trx, contract.supplier, {
      contractId: contract.id,
      version: contract.version,
      links: [{ kind: 'pull_request', url: `${plan.spec.repositoryUrl}/pull/${40 + round}` }],
      notes: plan.spec.contract?.notes ?? '',
      notesLang: contract.supplier.language,
      now: r.deps.clock.now(),
    }),
  );
}

async function invoice(r: Replay, row: OpportunityRow): Promise<Step> {
  const contract = await contractOf(r, row);
  const now = r.deps.clock.now();
  return inOneTransaction(r.deps.db, (trx) =>
    submitInvoice(trx, contract.supplier, {
      contractId: contract.id,
      invoiceNumber: `${row.reference}-1`,
      invoiceDate: easternDate(now),
      now,
    }),
  );
}

const invoiceOf = (r: Replay, row: OpportunityRow) =>
  r.deps
    .db('invoices')
    .where({ opportunity_id: row.id })
    .orderBy('id', 'desc')
    .first('id', 'version', 'amount_cents', 'department_id');

async function certify(r: Replay, row: OpportunityRow, manager: CurrentUser): Promise<Step> {
  const found = await invoiceOf(r, row);
  if (!found) return { ok: false, missing: 'invoice' };
  const t = r.deps.translator.t(manager.language);
  return certifyInvoice(
    r.deps,
    manager,
    row.reference,
    { attest: 'yes', version: Number(found.version) },
    { lang: manager.language, t },
  );
}

/** The finance officer charges the card they hold for the invoice's total, by the opportunity's channel. */
async function payTheInvoice(
  r: Replay,
  plan: DemoPlan,
  row: OpportunityRow,
  officer: CurrentUser,
): Promise<Step> {
  const found = await invoiceOf(r, row);
  const card = (await cardsOfDepartment(r.deps.db, row.department_id)).find(
    (c) => c.cardholder_id === officer.id && c.active,
  );
  const method = plan.spec.paymentMethod;
  if (!found || !card || method === 'paypal_payout') {
    return { ok: false, missing: 'card payment' };
  }
  const now = r.deps.clock.now();
  await r.deps.db.transaction((trx) =>
    payByCard(
      trx,
      officer,
      {
        invoiceId: Number(found.id),
        method,
        cardId: card.id,
        last4: card.last4,
        authorizationCode: `D${String(row.id).padStart(5, '0')}`,
        paidOn: easternDate(now),
        amountCents: Number(found.amount_cents),
      },
      now,
    ),
  );
  return ok;
}

async function confirm(r: Replay, row: OpportunityRow): Promise<Step> {
  const contract = await contractOf(r, row);
  const payment = await r.deps
    .db('payments')
    .where({ opportunity_id: row.id, status: 'paid' })
    .first('version');
  if (!payment) return { ok: false, missing: 'payment' };
  return inOneTransaction(r.deps.db, (trx) =>
    confirmReceipt(trx, contract.supplier, {
      contractId: contract.id,
      paymentVersion: Number(payment.version),
      now: r.deps.clock.now(),
    }),
  );
}

/** One step of a demo contract; undefined for the other kinds of step. */
export async function contractStep(
  r: Replay,
  plan: DemoPlan,
  row: OpportunityRow,
  action: { kind: string },
): Promise<Step | undefined> {
  const as = (role: Role) => holderOf(r.people, role, row.department_id);
  switch (action.kind as ContractAction['kind']) {
    case 'deliver':
      return deliver(r, plan, row);
    case 'request_revisions':
    case 'accept_work':
      return review(r, plan, row, as('client'), action.kind === 'accept_work');
    case 'invoice':
      return invoice(r, row);
    case 'certify':
      return certify(r, row, as('section34_manager'));
    case 'pay_by_card':
      return payTheInvoice(r, plan, row, as('finance_officer'));
    case 'confirm_receipt':
      return confirm(r, row);
    default:
      return undefined;
  }
}

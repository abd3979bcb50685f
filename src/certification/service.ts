import type { Knex } from 'knex';
import { invoiceMachine, type InvoiceRow } from '../invoices/machine.ts';
import { notify } from '../lifecycle/notify.ts';
import { proposeOverride, stepStanding, type StepStanding } from '../lifecycle/overrides.ts';
import {
  inOneTransaction,
  transition,
  TransitionError,
  type StepOutcome,
} from '../lifecycle/transition.ts';
import type { CurrentUser } from '../platform/auth.ts';
import { formatCalendarDate } from '../platform/dates.ts';
import type { AppDeps } from '../platform/deps.ts';
import type { Lang, Translate } from '../platform/i18n.ts';
import { formatMoney } from '../platform/money.ts';
import { url } from '../platform/routes.ts';
import { evidenceFor, snapshotOf, type Evidence } from './evidence.ts';
import { insertCertification } from './repo.ts';
import type { CertifyForm, OverrideForm, ReturnForm } from './schemas.ts';
import { section34Wording } from './wording.ts';

/**
 * Section 34 of the Financial Administration Act: a manager with the authority certifies that the
 * work was performed and the price is the contract's, after acceptance and the invoice — or
 * returns the invoice to the supplier with a reason. The lifecycle decides who may (the role in
 * the department, segregation of duties over the whole file, the state, the version seen).
 */

/** Everything an invoice of this file needs, locked for the step: a second click waits here. */
async function lockedEvidence(trx: Knex.Transaction, reference: string): Promise<Evidence> {
  const evidence = await evidenceFor(trx, reference);
  if (!evidence) throw new TransitionError({ kind: 'not_found' });
  await trx('invoices').where({ id: evidence.invoice.id }).forUpdate().first('id');
  // Read again under the lock: what the step checks is what it records.
  const locked = await evidenceFor(trx, reference);
  if (!locked) throw new TransitionError({ kind: 'not_found' });
  return locked;
}

const supplierOf = async (trx: Knex.Transaction, supplierId: number) =>
  trx('users')
    .where({ id: supplierId })
    .whereNull('closed_at')
    .first<{ email: string; language: Lang | null } | undefined>(
      'email',
      'preferred_language as language',
    );

/** A page's address in both languages, for an email's link. */
const bothLanguages = (name: 'invoice' | 'invoicePayment', params: Record<string, number>) => ({
  en: url(name, params, 'en'),
  fr: url(name, params, 'fr'),
});

/** The values an email shows in each language: the invoice, its total and its due date. */
function emailValues(e: Evidence) {
  const of = (lang: Lang) => ({
    invoice: e.invoice.invoice_number,
    total: formatMoney(e.invoice.amount_cents, lang),
    due: formatCalendarDate(e.invoice.payment_due_on, lang),
  });
  return { en: of('en'), fr: of('fr') };
}

/**
 * Certifies the invoice: the statutory wording in the page's language, word for word, and what
 * the evidence page showed are recorded with the transition, in one transaction (the database
 * refuses the certified state without that record). Finance is told there is a payment to make,
 * the supplier that the invoice is certified and when payment is due.
 */
export async function certifyInvoice(
  deps: AppDeps,
  actor: CurrentUser,
  reference: string,
  form: CertifyForm,
  page: { lang: Lang; t: Translate },
): Promise<StepOutcome<void>> {
  const now = deps.clock.now();
  return inOneTransaction(deps.db, async (trx) => {
    const evidence = await lockedEvidence(trx, reference);
    const { invoice } = evidence;
    // The engine refuses these too, but only after the record below would have been written.
    if (invoice.version !== form.version) throw new TransitionError({ kind: 'stale' });
    if (invoice.status !== 'submitted') {
      throw new TransitionError({ kind: 'wrong_state', status: invoice.status });
    }
    await insertCertification(trx, {
      invoiceId: invoice.id,
      opportunityId: invoice.opportunity_id,
      departmentId: invoice.department_id,
      certifiedBy: actor.id,
      at: now,
      wording: section34Wording(invoice, page.lang, page.t),
      lang: page.lang,
      evidence: snapshotOf(evidence),
    });
    const { eventId } = await transition(trx, invoiceMachine, {
      id: invoice.id,
      action: 'certify',
      actor,
      expectedVersion: form.version,
      now,
      payload: { invoiceNumber: invoice.invoice_number, amountCents: invoice.amount_cents },
    });
    const values = emailValues(evidence);
    await notify(trx, now, {
      template: 'payment-to-make',
      opportunityId: invoice.opportunity_id,
      to: [{ role: 'finance_officer' }],
      key: eventId,
      link: bothLanguages('invoicePayment', { invoice: invoice.id }),
      data: { values },
    });
    const supplier = await supplierOf(trx, invoice.supplier_id);
    if (supplier) {
      await notify(trx, now, {
        template: 'invoice-certified',
        opportunityId: invoice.opportunity_id,
        to: [supplier],
        key: eventId,
        link: bothLanguages('invoice', { id: invoice.contract_id }),
        data: { values },
      });
    }
  });
}

/** Returns the invoice to the supplier, who is told why by email and may correct and resubmit it. */
export async function returnInvoice(
  deps: AppDeps,
  actor: CurrentUser,
  reference: string,
  form: ReturnForm,
  lang: Lang,
): Promise<StepOutcome<void>> {
  const now = deps.clock.now();
  return inOneTransaction(deps.db, async (trx) => {
    const evidence = await lockedEvidence(trx, reference);
    const { invoice } = evidence;
    const { eventId } = await transition(trx, invoiceMachine, {
      id: invoice.id,
      action: 'return_invoice',
      actor,
      expectedVersion: form.version,
      now,
      reason: form.reason,
      reasonLang: lang,
    });
    const supplier = await supplierOf(trx, invoice.supplier_id);
    if (supplier) {
      await notify(trx, now, {
        template: 'invoice-returned',
        opportunityId: invoice.opportunity_id,
        to: [supplier],
        key: eventId,
        link: bothLanguages('invoice', { id: invoice.contract_id }),
        detail: form.reason,
        data: { values: emailValues(evidence) },
      });
    }
  });
}

/** A manager refused for a conflict asks a second section 34 manager to confirm an override. */
export async function proposeCertificationOverride(
  deps: AppDeps,
  actor: CurrentUser,
  reference: string,
  form: OverrideForm,
  lang: Lang,
): Promise<StepOutcome<number>> {
  const now = deps.clock.now();
  return inOneTransaction(deps.db, async (trx) => {
    const { invoice } = await lockedEvidence(trx, reference);
    if (invoice.version !== form.version) throw new TransitionError({ kind: 'stale' });
    return proposeOverride(trx, invoiceMachine, {
      id: invoice.id,
      action: 'certify',
      actor,
      reason: form.overrideReason,
      reasonLang: lang,
      now,
    });
  });
}

/** Where this manager stands on certifying this invoice: clear, barred, or an override to ask. */
export function certificationStanding(
  deps: AppDeps,
  invoice: InvoiceRow,
  viewer: CurrentUser,
): Promise<StepStanding> {
  return deps.db.transaction((trx) =>
    stepStanding(trx, invoiceMachine, invoice, 'certify', viewer),
  );
}

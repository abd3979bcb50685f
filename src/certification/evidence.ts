import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import { roundsOf, type Round } from '../delivery/repo.ts';
import type { OpportunityRow } from '../opportunities/row.ts';
import { findRequest } from '../requests/repo.ts';
import { findDepartmentNames, type DepartmentNames } from '../review/repo.ts';
import { acceptanceOf } from '../terms/repo.ts';
import {
  acceptanceCriteriaOf,
  certificationOf,
  checkEvidenceOf,
  contractStepsOf,
  invoiceOfOpportunity,
  section32RecordOf,
  type AcceptanceCriterion,
  type CertificationRow,
  type CheckEvidence,
  type ContractStep,
  type InvoiceRecord,
  type Section32Record,
} from './repo.ts';

type Conn = Db | Knex.Transaction;

/**
 * Everything a section 34 manager checks before certifying one invoice, in one place: the
 * section 32 record, the terms the supplier accepted, the work acceptance criteria with the
 * delivery and acceptance steps, and the invoice with its taxes. The evidence page shows it and
 * the certification keeps a copy of it (snapshotOf), so what was checked can be read later.
 */
export interface Evidence {
  opportunity: OpportunityRow;
  department: DepartmentNames | undefined;
  invoice: InvoiceRecord;
  section32: Section32Record | undefined;
  terms: { number: number; language: string; accepted_at: Date } | undefined;
  criteria: AcceptanceCriterion[];
  /** The CI checks' results the accepting review recorded, by criterion. */
  checks: Map<number, CheckEvidence[]>;
  /** The delivery rounds, each with its links and the client's review per criterion. */
  rounds: Round[];
  steps: ContractStep[];
  certification: CertificationRow | undefined;
}

export async function evidenceFor(db: Conn, reference: string): Promise<Evidence | undefined> {
  const opportunity = await findRequest(db, reference);
  if (!opportunity) return undefined;
  const invoice = await invoiceOfOpportunity(db, opportunity.id);
  if (!invoice) return undefined;
  // One after the other: inside a transaction they share one connection.
  const department = await findDepartmentNames(db, opportunity.department_id);
  const section32 = await section32RecordOf(db, opportunity.id);
  const terms = await acceptanceOf(db, invoice.contract_id);
  const criteria = await acceptanceCriteriaOf(db, opportunity.id);
  const rounds = await roundsOf(db, invoice.contract_id);
  const checks = await checkEvidenceOf(db, invoice.contract_id);
  const steps = await contractStepsOf(db, invoice.contract_id);
  const certification = await certificationOf(db, invoice.id);
  return {
    opportunity,
    department,
    invoice,
    section32,
    terms,
    criteria,
    checks,
    rounds,
    steps,
    certification,
  };
}

/** What the manager was shown, as data: kept with the certification (invoice_certifications.evidence). */
export function snapshotOf(e: Evidence): Record<string, unknown> {
  const { invoice: i, section32: s } = e;
  return {
    opportunity: { reference: e.opportunity.reference, priceCents: e.opportunity.price_cents },
    section32: s
      ? {
          reservationNumber: s.reservation_number,
          amountCents: s.amount_cents,
          releasedCents: s.released_cents,
          costCentre: s.cost_centre,
          fund: s.fund,
          glAccount: s.gl_account,
          approvedBy: s.approved_by,
          approvedAt: s.approved_at,
        }
      : null,
    terms: e.terms
      ? { version: e.terms.number, language: e.terms.language, acceptedAt: e.terms.accepted_at }
      : null,
    acceptanceCriteria: e.criteria.map((c) => ({
      id: c.id,
      position: c.position,
      en: c.text_en,
      fr: c.text_fr,
    })),
    deliveries: e.rounds.map((r) => ({
      round: r.round,
      deliveredAt: r.delivered_at,
      links: r.links,
      notes: r.notes,
      review: r.review
        ? {
            outcome: r.review.outcome,
            reviewedAt: r.review.reviewed_at,
            reason: r.review.reason,
            criteria: r.review.criteria.map((c) => ({
              criterionId: c.acceptance_criterion_id,
              met: c.met,
              comment: c.comment,
              checks: e.checks.get(c.acceptance_criterion_id) ?? [],
            })),
          }
        : null,
    })),
    contractSteps: e.steps.map((step) => ({
      action: step.action,
      at: step.at,
      reason: step.reason,
      payload: step.payload,
    })),
    invoice: {
      id: i.id,
      version: i.version,
      number: i.invoice_number,
      date: i.invoice_date,
      receivedAt: i.received_at,
      paymentDueOn: i.payment_due_on,
      reservationNumber: i.reservation_number,
      preTaxCents: i.pre_tax_cents,
      province: i.province,
      taxKind: i.tax_kind,
      taxBasisPoints: i.tax_basis_points,
      taxCents: i.tax_cents,
      totalCents: i.amount_cents,
      gstHstNumber: i.gst_hst_number,
      supplierLegalName: i.supplier_legal_name,
      supplierEmail: i.supplier_email,
    },
  };
}

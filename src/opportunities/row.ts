import type { SplittingCheck } from '../requests/splitting.ts';

// The opportunities table as the features read it. It sits in a file that imports no rule, so
// the request form, review, translation and publishing read it without going round through the
// guards that check it.

/** The opportunity columns the guardrails read. */
export interface RequestRow {
  id: number;
  department_id: number;
  source_language: 'en' | 'fr';
  repository_url: string;
  licence: string;
  price_cents: number | null;
  max_total_cents: number | null;
  delivery_due_on: string | null;
  preferred_opens_on: string | null;
  preferred_closes_on: string | null;
  closes_at: Date | null;
  cost_centre: string | null;
  fund: string | null;
  gl_account: string | null;
  payment_method: string | null;
  [column: string]: unknown;
}

/** An opportunity (or the request it starts as), with what its lifecycle and review need. */
export interface OpportunityRow extends RequestRow {
  status: string;
  version: number;
  reference: string;
  requester_id: number | null;
  splitting_justification: string | null;
  splitting_related: SplittingCheck | null;
  splitting_approved_by: number | null;
}

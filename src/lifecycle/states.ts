/**
 * Every state an opportunity can be in, in lifecycle order (DOMAIN.md, Annex A).
 * The database CHECK constraint and the status labels in both locales follow this list.
 */
export const opportunityStatuses = [
  'draft',
  'submitted',
  'declined',
  'screened',
  'funds_approved',
  'translated',
  'ready',
  'published',
  'closed',
  'evaluated',
  'drawn',
  'awarded',
  'in_progress',
  'delivered',
  'revisions_requested',
  'accepted',
  'invoiced',
  'certified',
  'paid',
  'completed',
  'cancelled',
  'no_qualified_applicant',
  'terminated',
] as const;

export type OpportunityStatus = (typeof opportunityStatuses)[number];

/** States a member of the public may see: the opportunity has been published at some point. */
export const publicStatuses: readonly OpportunityStatus[] = opportunityStatuses.slice(
  opportunityStatuses.indexOf('published'),
);

/** After translation and before publishing, the client previews the page the public will see. */
export const previewStatuses: readonly OpportunityStatus[] = ['translated', 'ready'];

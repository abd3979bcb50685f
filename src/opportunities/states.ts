/**
 * The opportunity's own states, in lifecycle order (DOMAIN.md, Annex A): the posting, from the
 * client's request to the award and its end. The contract, the invoice and the payment have
 * machines of their own. The database CHECK constraint and the status labels follow this list.
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
  'completed',
  'cancelled',
  'no_qualified_applicant',
  'terminated',
] as const;

export type OpportunityStatus = (typeof opportunityStatuses)[number];

/** States a member of the public may see: the opportunity has been published at some point. */
export const publicStatuses: readonly OpportunityStatus[] = [
  'published',
  'closed',
  'evaluated',
  'drawn',
  'awarded',
  'completed',
  'cancelled',
  'no_qualified_applicant',
  'terminated',
];

/** After translation and before publishing, the client previews the page the public will see. */
export const previewStatuses: readonly OpportunityStatus[] = ['translated', 'ready'];

/** Cancellation is possible until the award (DOMAIN.md: "cancelled (before award)"). */
export const cancellableStatuses: readonly OpportunityStatus[] = [
  'draft',
  'submitted',
  'screened',
  'funds_approved',
  'translated',
  'ready',
  'published',
  'closed',
  'evaluated',
  'drawn',
  'no_qualified_applicant',
];

/** The one "is it open" rule: published and before its deadline, even if the closing job has not run yet. */
export function isOpen(o: { status: string; closesAt: Date | null }, now: Date): boolean {
  return o.status === 'published' && o.closesAt !== null && o.closesAt.getTime() > now.getTime();
}

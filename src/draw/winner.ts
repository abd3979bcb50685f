import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';

/**
 * What the public may know of who was awarded the contract (issue 11, item 7): that the
 * selected supplier was, and their public name only if their profile says so. Nobody else who
 * applied is ever named.
 */
export type PublicWinner = { named: true; name: string } | { named: false };

/** Once the contract is accepted: the opportunity awarded, or its work since completed. */
const awardedStatuses = ['awarded', 'completed'];
/** The accepted contract, under way or done (one live contract per opportunity). */
const acceptedContractStatuses = ['in_progress', 'delivered', 'accepted', 'completed'];

/**
 * The supplier's public name: their business name if set, else their display name (else, for an
 * account that gave none, their legal name).
 */
export const publicNameOf = (row: {
  business_name: string | null;
  display_name: string | null;
  legal_name: string | null;
}) => [row.business_name, row.display_name, row.legal_name].find((n) => n && n.trim() !== '');

/** The awarded opportunity's winner as the public sees them; undefined before the award. */
export async function findPublicWinner(
  db: Db | Knex.Transaction,
  opportunityId: number,
): Promise<PublicWinner | undefined> {
  const row = await db('contracts as c')
    .join('opportunities as o', 'o.id', 'c.opportunity_id')
    .join('users as u', 'u.id', 'c.supplier_id')
    .leftJoin('supplier_profiles as p', 'p.user_id', 'c.supplier_id')
    .where('c.opportunity_id', opportunityId)
    .whereIn('o.status', awardedStatuses)
    .whereIn('c.status', acceptedContractStatuses)
    .orderBy('c.id', 'desc')
    .first('p.named_if_selected', 'p.business_name', 'u.display_name', 'p.legal_name');
  if (!row) return undefined;
  const name = row.named_if_selected === true ? publicNameOf(row) : undefined;
  return name ? { named: true, name } : { named: false };
}

import type { Db } from '../db/knex.ts';
import { publicStatuses } from '../opportunities/states.ts';
import { findPublicWinner, type PublicWinner } from './winner.ts';

/** What the public may know of an opportunity's draw, at each moment of it. */
export interface PublicDraw {
  reference: string;
  title: { en: string; fr: string };
  status: string;
  closesAt: Date | null;
  /** Null for an opportunity published before the draw existed. */
  commitment: { value: string; committedAt: Date } | null;
  /** Fixed at closing. */
  list: { fingerprints: string[]; listHash: string; fixedAt: Date } | null;
  /** Revealed by the draw. */
  secret: { value: string; revealedAt: Date } | null;
  order: { rank: number; fingerprint: string; hmac: string }[];
  /** Once awarded: named only if they chose it in their profile. Not in the JSON download. */
  winner: PublicWinner | undefined;
}

/**
 * The draw of a public opportunity (published and opened), by its reference. No applicant is
 * named: the order is fingerprints only.
 */
export async function findPublicDraw(
  db: Db,
  reference: string,
  now: Date,
): Promise<PublicDraw | undefined> {
  const opportunity = await db('opportunities')
    .where({ reference })
    .whereIn('status', publicStatuses)
    .where('opens_at', '<=', now)
    .first('id', 'reference', 'status', 'title_en', 'title_fr', 'closes_at');
  if (!opportunity) return undefined;
  const [commitment, list, order, winner] = await Promise.all([
    db('draw_commitments')
      .where({ opportunity_id: opportunity.id })
      .first('commitment', 'committed_at', 'secret', 'revealed_at'),
    db('draw_fingerprint_lists')
      .where({ opportunity_id: opportunity.id })
      .first('fingerprints', 'list_hash', 'fixed_at'),
    db('draw_results')
      .where({ opportunity_id: opportunity.id })
      .orderBy('rank')
      .select<PublicDraw['order']>('rank', 'fingerprint', 'hmac'),
    findPublicWinner(db, opportunity.id),
  ]);
  return {
    reference: opportunity.reference,
    title: { en: opportunity.title_en, fr: opportunity.title_fr },
    status: opportunity.status,
    closesAt: opportunity.closes_at,
    commitment: commitment
      ? { value: commitment.commitment, committedAt: commitment.committed_at }
      : null,
    list: list
      ? { fingerprints: list.fingerprints, listHash: list.list_hash, fixedAt: list.fixed_at }
      : null,
    secret:
      commitment?.secret !== null && commitment?.secret !== undefined
        ? { value: commitment.secret, revealedAt: commitment.revealed_at }
        : null,
    order,
    winner,
  };
}

/** What the opportunity's own page shows of its draw: the commitment, and the list once fixed. */
export async function findDrawSummary(
  db: Db,
  opportunityId: number,
): Promise<{ commitment: string; listHash: string | null; drawn: boolean } | undefined> {
  const row = await db('draw_commitments as c')
    .leftJoin('draw_fingerprint_lists as l', 'l.opportunity_id', 'c.opportunity_id')
    .where('c.opportunity_id', opportunityId)
    .first('c.commitment', 'l.list_hash', 'c.secret');
  if (!row) return undefined;
  return {
    commitment: row.commitment,
    listHash: row.list_hash ?? null,
    drawn: row.secret !== null,
  };
}

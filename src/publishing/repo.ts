import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import { previewTokenHash } from './preview-link.ts';

type Conn = Db | Knex.Transaction;

/** What the preview's token points at, whatever its status. */
export interface PreviewTarget {
  id: number;
  reference: string;
  status: string;
  version: number;
  department_id: number;
  requester_id: number | null;
  opens_at: Date | null;
}

export function findPreviewTarget(db: Conn, token: string): Promise<PreviewTarget | undefined> {
  return db('opportunities')
    .where({ preview_token_hash: previewTokenHash(token) })
    .first('id', 'reference', 'status', 'version', 'department_id', 'requester_id', 'opens_at');
}

/** The section 32 record publishing depends on: the reservation still held. */
export interface FundReservation {
  reservation_number: string;
  amount_cents: number;
}

export function fundReservationOf(
  db: Conn,
  opportunityId: number,
): Promise<FundReservation | undefined> {
  return db('fund_reservations')
    .where({ opportunity_id: opportunityId })
    .whereNull('released_at')
    .first('reservation_number', 'amount_cents');
}

/** Sets the publication window if the row is still the version the person saw. */
export async function setPublicationWindow(
  trx: Knex.Transaction,
  opportunity: { id: number; version: number },
  window: { opensAt: Date; closesAt: Date },
): Promise<boolean> {
  const updated = await trx('opportunities')
    .where({ id: opportunity.id, version: opportunity.version })
    .update({ opens_at: window.opensAt, closes_at: window.closesAt });
  return updated === 1;
}

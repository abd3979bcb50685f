import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { Lang } from '../platform/i18n.ts';

type Conn = Db | Knex.Transaction;

/** A person as the request page names them. */
export interface PersonName {
  display_name: string;
  email: string;
}

export interface DepartmentNames {
  acronym_en: string;
  acronym_fr: string;
  name_en: string;
  name_fr: string;
}

export function findDepartmentNames(db: Conn, id: number): Promise<DepartmentNames | undefined> {
  return db('departments').where({ id }).first('acronym_en', 'acronym_fr', 'name_en', 'name_fr');
}

export function findPerson(db: Conn, id: number | null): Promise<PersonName | undefined> {
  if (id === null) return Promise.resolve(undefined);
  return db('users').where({ id }).first('display_name', 'email');
}

/** One line of a request's history: an event with the name of who acted. */
export interface HistoryRow {
  id: number;
  entity_type: string;
  action: string;
  from_state: string | null;
  to_state: string | null;
  reason: string | null;
  reason_lang: string | null;
  at: Date;
  actor_name: string | null;
  actor_email: string | null;
  actor_kind: 'staff' | 'supplier' | null;
}

export function historyOf(db: Conn, opportunityId: number): Promise<HistoryRow[]> {
  return db('events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .where('e.opportunity_id', opportunityId)
    .orderBy([
      { column: 'e.at', order: 'asc' },
      { column: 'e.id', order: 'asc' },
    ])
    .select(
      'e.id',
      'e.entity_type',
      'e.action',
      'e.from_state',
      'e.to_state',
      'e.reason',
      'e.reason_lang',
      'e.at',
      'u.display_name as actor_name',
      'u.email as actor_email',
      'u.kind as actor_kind',
    );
}

export interface FundReservationRow {
  id: number;
  reservation_number: string;
  amount_cents: number;
  cost_centre: string;
  fund: string;
  gl_account: string;
  delegated_limit_cents: number;
  attestation: string;
  attestation_language: Lang;
  approved_at: Date;
  release_requested_at: Date | null;
  released_cents: number;
  released_at: Date | null;
  approver_name: string;
  approver_email: string;
  releaser_name: string | null;
  releaser_email: string | null;
}

/** The opportunity's current reservation: the one held, else the last one released. */
export function findFundReservation(
  db: Conn,
  opportunityId: number,
): Promise<FundReservationRow | undefined> {
  return db('fund_reservations as r')
    .join('users as a', 'a.id', 'r.approved_by')
    .leftJoin('users as x', 'x.id', 'r.released_by')
    .where({ 'r.opportunity_id': opportunityId })
    .orderByRaw('r.released_at IS NULL DESC, r.id DESC')
    .first(
      'r.id',
      'r.reservation_number',
      'r.amount_cents',
      'r.cost_centre',
      'r.fund',
      'r.gl_account',
      'r.delegated_limit_cents',
      'r.attestation',
      'r.attestation_language',
      'r.approved_at',
      'r.release_requested_at',
      'r.released_cents',
      'r.released_at',
      'a.display_name as approver_name',
      'a.email as approver_email',
      'x.display_name as releaser_name',
      'x.email as releaser_email',
    );
}

export interface NewFundReservation {
  opportunityId: number;
  departmentId: number;
  reservationNumber: string;
  amountCents: number;
  costCentre: string;
  fund: string;
  glAccount: string;
  delegatedLimitCents: number;
  attestation: string;
  attestationLanguage: Lang;
  approvedBy: number;
  approvedAt: Date;
}

export async function insertFundReservation(
  trx: Knex.Transaction,
  r: NewFundReservation,
): Promise<number> {
  const [row] = await trx('fund_reservations')
    .insert({
      opportunity_id: r.opportunityId,
      department_id: r.departmentId,
      reservation_number: r.reservationNumber,
      amount_cents: r.amountCents,
      cost_centre: r.costCentre,
      fund: r.fund,
      gl_account: r.glAccount,
      delegated_limit_cents: r.delegatedLimitCents,
      attestation: r.attestation,
      attestation_language: r.attestationLanguage,
      approved_by: r.approvedBy,
      approved_at: r.approvedAt,
    })
    .returning('id');
  return row.id;
}

/** Asks for the release of a reservation not already asked for; false when there is none. */
export async function requestRelease(
  trx: Knex.Transaction,
  opportunityId: number,
  at: Date,
): Promise<boolean> {
  const updated = await trx('fund_reservations')
    .where({ opportunity_id: opportunityId })
    .whereNull('release_requested_at')
    .whereNull('released_at')
    .update({ release_requested_at: at });
  return updated === 1;
}

/** The reservation still held for the opportunity (one at most), locked for the transaction. */
export interface HeldReservation {
  id: number;
  reservation_number: string;
  amount_cents: number;
  released_cents: number;
  release_requested_at: Date | null;
}

export function lockHeldReservation(
  trx: Knex.Transaction,
  opportunityId: number,
): Promise<HeldReservation | undefined> {
  return trx('fund_reservations')
    .where({ opportunity_id: opportunityId })
    .whereNull('released_at')
    .forUpdate()
    .first('id', 'reservation_number', 'amount_cents', 'released_cents', 'release_requested_at');
}

/** A new amount, within the limit of the manager who amends it (the database checks both). */
export async function setReservationAmount(
  trx: Knex.Transaction,
  id: number,
  amountCents: number,
  delegatedLimitCents: number,
): Promise<void> {
  await trx('fund_reservations')
    .where({ id })
    .update({ amount_cents: amountCents, delegated_limit_cents: delegatedLimitCents });
}

/** Adds to what was released; releasing all that is left ends the reservation. */
export async function recordRelease(
  trx: Knex.Transaction,
  reservation: HeldReservation,
  release: { cents: number; by: number; at: Date },
): Promise<void> {
  const releasedCents = reservation.released_cents + release.cents;
  const all = releasedCents === reservation.amount_cents;
  await trx('fund_reservations')
    .where({ id: reservation.id })
    .update({
      released_cents: releasedCents,
      ...(all ? { released_by: release.by, released_at: release.at } : {}),
    });
}

export async function approveSplitting(
  trx: Knex.Transaction,
  opportunityId: number,
  approvedBy: number,
  at: Date,
): Promise<boolean> {
  const updated = await trx('opportunities')
    .where({ id: opportunityId })
    .whereNull('splitting_approved_by')
    .update({ splitting_approved_by: approvedBy, splitting_approved_at: at });
  return updated === 1;
}

/** One row of a work queue: a request waiting since its latest event. */
export interface QueueRow {
  reference: string;
  title_en: string;
  title_fr: string;
  source_language: 'en' | 'fr';
  acronym_en: string;
  acronym_fr: string;
  name_en: string;
  name_fr: string;
  max_total_cents: number | null;
  waiting_since: Date;
}

/** Requests of these departments, oldest wait first. */
function queue(db: Db, departmentIds: readonly number[]) {
  return db('opportunities as o')
    .join('departments as d', 'd.id', 'o.department_id')
    .whereIn('o.department_id', departmentIds)
    .select<QueueRow[]>(
      'o.reference',
      'o.title_en',
      'o.title_fr',
      'o.source_language',
      'd.acronym_en',
      'd.acronym_fr',
      'd.name_en',
      'd.name_fr',
      'o.max_total_cents',
      db.raw(
        `coalesce((SELECT max(e.at) FROM events e WHERE e.entity_type = 'opportunity' AND e.entity_id = o.id), o.updated_at) as waiting_since`,
      ),
    )
    .orderBy([
      { column: 'waiting_since', order: 'asc' },
      { column: 'o.reference', order: 'asc' },
    ]);
}

/** `notRequestedBy`: leaves out this person's own requests, which they may not act on. */
export function requestsInStatus(
  db: Db,
  departmentIds: readonly number[],
  status: string,
  notRequestedBy?: number,
): Promise<QueueRow[]> {
  const rows = queue(db, departmentIds).where('o.status', status);
  if (notRequestedBy !== undefined) {
    rows.whereRaw('o.requester_id IS DISTINCT FROM ?', [notRequestedBy]);
  }
  return rows;
}

/** The client's own drafts that the program team sent back with comments. */
export function returnedDrafts(
  db: Db,
  departmentIds: readonly number[],
  requesterId: number,
): Promise<QueueRow[]> {
  return queue(db, departmentIds)
    .where({ 'o.status': 'draft', 'o.requester_id': requesterId })
    .whereExists((q) =>
      q
        .from('events as e')
        .where({ 'e.entity_type': 'opportunity', 'e.action': 'return_to_client' })
        .whereRaw('e.entity_id = o.id'),
    );
}

/**
 * Closed opportunities this person evaluates, until the evaluation is locked: their own request
 * (the requester may evaluate it), or one the program officer named them for.
 */
export function evaluationsToDo(
  db: Db,
  departmentIds: readonly number[],
  userId: number,
): Promise<QueueRow[]> {
  return queue(db, departmentIds)
    .where('o.status', 'closed')
    .where((q) =>
      q
        .where('o.requester_id', userId)
        .orWhereExists((e) =>
          e.from('evaluators as v').whereRaw('v.opportunity_id = o.id').where('v.user_id', userId),
        ),
    );
}

/** The client's own requests whose preview awaits their approval. */
export function previewsAwaiting(
  db: Db,
  departmentIds: readonly number[],
  requesterId: number,
): Promise<QueueRow[]> {
  return queue(db, departmentIds).where({
    'o.status': 'translated',
    'o.requester_id': requesterId,
  });
}

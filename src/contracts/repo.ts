import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { Lang } from '../platform/i18n.ts';
import type { HistoryRow } from '../review/repo.ts';
import type { ContractRow } from './machine.ts';

type Conn = Db | Knex.Transaction;

export interface ContractRecord extends ContractRow {
  due_on: string | null;
  midpoint_on: string | null;
}

/** What the contract page reads of its opportunity. */
export interface ContractOpportunity {
  id: number;
  reference: string;
  title_en: string;
  title_fr: string;
  status: string;
  requester_id: number | null;
  department_id: number;
  version: number;
}

/** Offers whose terms were accepted: the contracts an opportunity's pages link to. */
export const contractStatuses: readonly string[] = [
  'in_progress',
  'delivered',
  'accepted',
  'completed',
  'terminated',
];

/** An opportunity's contracts, oldest first. */
export function contractsOf(
  db: Conn,
  opportunityId: number,
): Promise<{ id: number; status: string }[]> {
  return db('contracts')
    .where({ opportunity_id: opportunityId })
    .whereIn('status', contractStatuses)
    .orderBy('id')
    .select('id', 'status');
}

export function findContract(db: Conn, id: number): Promise<ContractRecord | undefined> {
  return db('contracts').where({ id }).first();
}

export function lockContract(
  trx: Knex.Transaction,
  id: number,
): Promise<ContractRecord | undefined> {
  return trx('contracts').where({ id }).forUpdate().first();
}

export function opportunityOf(db: Conn, id: number): Promise<ContractOpportunity> {
  return db('opportunities')
    .where({ id })
    .first(
      'id',
      'reference',
      'title_en',
      'title_fr',
      'status',
      'requester_id',
      'department_id',
      'version',
    );
}

export function acceptanceCriteriaOf(
  db: Conn,
  opportunityId: number,
): Promise<{ text_en: string; text_fr: string }[]> {
  return db('acceptance_criteria')
    .where({ opportunity_id: opportunityId })
    .orderBy('position')
    .select('text_en', 'text_fr');
}

export interface MessageRow {
  id: number;
  author_id: number;
  author_kind: 'staff' | 'supplier';
  author_name: string | null;
  body: string;
  lang: Lang;
  created_at: Date;
}

export function messagesOf(db: Conn, contractId: number): Promise<MessageRow[]> {
  return db('contract_messages as m')
    .join('users as u', 'u.id', 'm.author_id')
    .where('m.contract_id', contractId)
    .orderBy([
      { column: 'm.created_at', order: 'asc' },
      { column: 'm.id', order: 'asc' },
    ])
    .select(
      'm.id',
      'm.author_id',
      'u.kind as author_kind',
      'u.display_name as author_name',
      'm.body',
      'm.lang',
      'm.created_at',
    );
}

export async function insertMessage(
  trx: Knex.Transaction,
  m: {
    contract: ContractRow;
    authorId: number;
    body: string;
    lang: Lang;
    at: Date;
  },
): Promise<number> {
  const [row] = await trx('contract_messages')
    .insert({
      contract_id: m.contract.id,
      opportunity_id: m.contract.opportunity_id,
      department_id: m.contract.department_id,
      author_id: m.authorId,
      body: m.body,
      lang: m.lang,
      created_at: m.at,
    })
    .returning('id');
  return Number(row.id);
}

export interface ContractEventRow {
  id: number;
  action: string;
  at: Date;
  reason: string | null;
  reason_lang: Lang | null;
  payload: Record<string, unknown>;
}

/** The contract's own events that change no status: check-ins, extensions, midpoint alerts. */
export function contractStepsOf(
  db: Conn,
  contractId: number,
  actions: readonly string[],
): Promise<ContractEventRow[]> {
  return db('events')
    .where({ entity_type: 'contract', entity_id: contractId })
    .whereIn('action', actions)
    .orderBy('id')
    .select('id', 'action', 'at', 'reason', 'reason_lang', 'payload');
}

/** When the supplier accepted the terms: the start of the contract. */
export async function acceptedAtOf(db: Conn, contractId: number): Promise<Date | undefined> {
  const row = await db('terms_acceptances').where({ contract_id: contractId }).first('accepted_at');
  return row?.accepted_at;
}

export interface TimelineRow extends HistoryRow {
  payload: Record<string, unknown>;
}

/** The contract's events, its invoice's and its payments', oldest first, with who acted. */
export function timelineOf(db: Conn, contractId: number): Promise<TimelineRow[]> {
  const invoices = db('invoices').where({ contract_id: contractId }).select('id');
  const payments = db('payments').whereIn('invoice_id', invoices.clone()).select('id');
  return db('events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .where((q) =>
      q
        .where({ 'e.entity_type': 'contract', 'e.entity_id': contractId })
        .orWhere((i) => i.where('e.entity_type', 'invoice').whereIn('e.entity_id', invoices))
        .orWhere((p) => p.where('e.entity_type', 'payment').whereIn('e.entity_id', payments)),
    )
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
      'e.payload',
      'u.display_name as actor_name',
      'u.email as actor_email',
      'u.kind as actor_kind',
    );
}

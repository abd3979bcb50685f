import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { Lang } from '../platform/i18n.ts';

type Conn = Db | Knex.Transaction;

export interface TermsVersion {
  id: number;
  number: number;
  body_en: string;
  body_fr: string;
  published_at: Date;
  published_by: number | null;
}

/** The version an offer shows now: the latest published. */
export async function currentTerms(db: Conn): Promise<TermsVersion> {
  const row = await db('terms_versions').orderBy('number', 'desc').first();
  // Version 1 comes with the migration: there is always one.
  if (!row) throw new Error('no terms version');
  return { ...row, id: Number(row.id), published_by: row.published_by && Number(row.published_by) };
}

export function termsVersions(db: Conn): Promise<TermsVersion[]> {
  return db('terms_versions').orderBy('number', 'desc');
}

/** The next number, under a lock of the table so two administrators cannot both take it. */
export async function insertTermsVersion(
  trx: Knex.Transaction,
  v: { en: string; fr: string; by: number; at: Date },
): Promise<{ id: number; number: number }> {
  await trx.raw('LOCK TABLE terms_versions IN SHARE ROW EXCLUSIVE MODE');
  const last = await trx('terms_versions').max<{ max: number | null }>('number as max').first();
  const number = (last?.max ?? 0) + 1;
  const [row] = await trx('terms_versions')
    .insert({ number, body_en: v.en, body_fr: v.fr, published_at: v.at, published_by: v.by })
    .returning('id');
  return { id: Number(row.id), number };
}

export interface TermsAcceptance {
  contract_id: number;
  terms_version_id: number;
  number: number;
  supplier_id: number;
  language: Lang;
  accepted_at: Date;
}

export async function recordAcceptance(
  trx: Knex.Transaction,
  a: { contractId: number; termsVersionId: number; supplierId: number; language: Lang; at: Date },
): Promise<void> {
  await trx('terms_acceptances').insert({
    contract_id: a.contractId,
    terms_version_id: a.termsVersionId,
    supplier_id: a.supplierId,
    language: a.language,
    accepted_at: a.at,
  });
}

export function acceptanceOf(db: Conn, contractId: number): Promise<TermsAcceptance | undefined> {
  return db('terms_acceptances as a')
    .join('terms_versions as v', 'v.id', 'a.terms_version_id')
    .where({ 'a.contract_id': contractId })
    .first(
      'a.contract_id',
      'a.terms_version_id',
      'v.number',
      'a.supplier_id',
      'a.language',
      'a.accepted_at',
    );
}

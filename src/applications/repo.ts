import type { Knex } from 'knex';
import { contractStatuses } from '../contracts/repo.ts';
import type { Db } from '../db/knex.ts';
import type { Lang } from '../platform/i18n.ts';
import type { ApplicationStatus } from './machine.ts';
import type { ApplicationInput, Attestations } from './schemas.ts';

type Conn = Db | Knex.Transaction;

export interface ApplicationRecord {
  id: number;
  opportunity_id: number;
  department_id: number;
  supplier_id: number;
  status: ApplicationStatus;
  version: number;
  language: Lang;
  attestation_text_id: number | null;
  attestations: Attestations;
  pays_by_card: boolean | null;
  pays_by_paypal: boolean | null;
  submitted_at: Date | null;
  criteria_changed_at: Date | null;
  created_at: Date;
  updated_at: Date;
  reference: string;
  title_en: string;
  title_fr: string;
  opportunity_status: string;
  closes_at: Date | null;
}

export interface CriterionToAnswer {
  id: number;
  version: number;
  position: number;
  text_en: string;
  text_fr: string;
}

export interface AnswerRow {
  mandatory_criterion_id: number;
  criterion_version: number;
  answer: string;
  links: string[];
}

export interface AttestationText {
  id: number;
  version: number;
  language: Lang;
  texts: Record<string, string>;
}

/** The opportunity a supplier applies to, by its public reference (any state: the guard decides). */
export function findOpportunityToApply(db: Conn, reference: string) {
  return db('opportunities')
    .where({ reference })
    .whereNotNull('opens_at')
    .first<{ id: number; department_id: number; reference: string } | undefined>(
      'id',
      'department_id',
      'reference',
    );
}

export function mandatoryCriteriaOf(db: Conn, opportunityId: number): Promise<CriterionToAnswer[]> {
  return db('mandatory_criteria')
    .where({ opportunity_id: opportunityId })
    .orderBy('position')
    .select('id', 'version', 'position', 'text_en', 'text_fr');
}

const withOpportunity = (db: Conn) =>
  db('applications as a')
    .join('opportunities as o', 'o.id', 'a.opportunity_id')
    .select(
      'a.*',
      'o.reference',
      'o.title_en',
      'o.title_fr',
      'o.status as opportunity_status',
      'o.closes_at',
    );

/** A supplier's own application: undefined for anyone else's, as for one that does not exist. */
export function findOwnApplication(
  db: Conn,
  id: number,
  supplierId: number,
): Promise<ApplicationRecord | undefined> {
  return withOpportunity(db).where({ 'a.id': id, 'a.supplier_id': supplierId }).first();
}

export async function findApplicationIdOf(
  db: Conn,
  opportunityId: number,
  supplierId: number,
): Promise<number | undefined> {
  const row = await db('applications')
    .where({ opportunity_id: opportunityId, supplier_id: supplierId })
    .first('id');
  return row ? Number(row.id) : undefined;
}

export function answersOf(db: Conn, applicationId: number): Promise<AnswerRow[]> {
  return db('application_answers')
    .where({ application_id: applicationId })
    .select('mandatory_criterion_id', 'criterion_version', 'answer', 'links');
}

/** The wording in force in a language: its latest version. */
export function currentAttestationText(db: Conn, language: Lang): Promise<AttestationText> {
  return db('attestation_texts')
    .where({ language })
    .orderBy('version', 'desc')
    .first('id', 'version', 'language', 'texts');
}

/** A wording never changes once written (the database refuses it): each is read once. */
const wordings = new Map<number, AttestationText>();

export async function attestationTextById(
  db: Conn,
  id: number,
): Promise<AttestationText | undefined> {
  const known = wordings.get(id);
  if (known) return known;
  const row: AttestationText | undefined = await db('attestation_texts')
    .where({ id })
    .first('id', 'version', 'language', 'texts');
  if (row) wordings.set(id, row);
  return row;
}

/**
 * Writes what the form holds: the answers, each anchored to the criterion's current version, the
 * attestations and the exact wording they were given under, and the page's language.
 */
export async function saveContent(
  trx: Knex.Transaction,
  applicationId: number,
  content: {
    input: ApplicationInput;
    attestationTextId: number;
    criteria: readonly CriterionToAnswer[];
    language: Lang;
    now: Date;
    /** At a submission: when, and how the profile says the supplier can be paid. */
    submission?: { card: boolean; paypal: boolean };
  },
): Promise<void> {
  const { input, criteria, now, submission } = content;
  await trx('applications')
    .where({ id: applicationId })
    .update({
      language: content.language,
      attestation_text_id: content.attestationTextId,
      attestations: JSON.stringify(input.attestations),
      updated_at: now,
      ...(submission && {
        submitted_at: now,
        criteria_changed_at: null,
        pays_by_card: submission.card,
        pays_by_paypal: submission.paypal,
      }),
    });
  const rows = input.answers.flatMap((a) => {
    const criterion = criteria.find((c) => c.id === a.criterionId);
    return criterion
      ? [
          {
            application_id: applicationId,
            mandatory_criterion_id: criterion.id,
            criterion_version: criterion.version,
            answer: a.answer,
            links: a.links,
            updated_at: now,
          },
        ]
      : [];
  });
  if (rows.length === 0) return;
  await trx('application_answers')
    .insert(rows)
    .onConflict(['application_id', 'mandatory_criterion_id'])
    .merge(['criterion_version', 'answer', 'links', 'updated_at']);
}

export interface MyApplication {
  id: number;
  status: ApplicationStatus;
  reference: string;
  title: string;
  opportunity_status: string;
  closes_at: Date | null;
  submitted_at: Date | null;
  criteria_changed_at: Date | null;
  /** The contract the application won, once its terms were accepted (src/contracts/). */
  contract_id: number | null;
}

/** "My applications": soonest deadline first. */
export function applicationsOf(db: Conn, supplierId: number, lang: Lang): Promise<MyApplication[]> {
  return db('applications as a')
    .join('opportunities as o', 'o.id', 'a.opportunity_id')
    .leftJoin('contracts as c', (j) =>
      j.on('c.application_id', 'a.id').onIn('c.status', contractStatuses),
    )
    .where('a.supplier_id', supplierId)
    .orderBy([
      { column: 'o.closes_at', order: 'asc' },
      { column: 'a.id', order: 'asc' },
    ])
    .select(
      'a.id',
      'a.status',
      'o.reference',
      `o.title_${lang} as title`,
      'o.status as opportunity_status',
      'o.closes_at',
      'a.submitted_at',
      'a.criteria_changed_at',
      'c.id as contract_id',
    );
}

/**
 * How many applications are submitted: all department staff may know before the closing (never
 * who, never what). Withdrawn and reopened drafts do not count.
 */
export async function submittedCount(db: Conn, opportunityId: number): Promise<number> {
  const row = await db('applications')
    .where({ opportunity_id: opportunityId })
    .whereIn('status', ['submitted', 'passed', 'failed'])
    .count<{ count: string }[]>('* as count')
    .first();
  return Number(row?.count ?? 0);
}

/** The suppliers with a draft or a submitted application, for an addendum's email. */
export function applicantsOf(
  db: Conn,
  opportunityId: number,
): Promise<{ email: string; language: Lang }[]> {
  return db('applications as a')
    .join('users as u', 'u.id', 'a.supplier_id')
    .where('a.opportunity_id', opportunityId)
    .whereIn('a.status', ['draft', 'submitted'])
    .whereNull('u.closed_at')
    .select('u.email as email', 'u.preferred_language as language');
}

/** Submitted applications whose supplier must confirm or revise after a criterion changed. */
export function flagSubmittedApplications(
  trx: Knex.Transaction,
  opportunityId: number,
  now: Date,
): Promise<number> {
  return trx('applications')
    .where({ opportunity_id: opportunityId, status: 'submitted' })
    .update({ criteria_changed_at: now });
}

/** The application's fingerprint in the draw (src/draw/), once submitted: for its supplier. */
export function fingerprintOfApplication(
  db: Conn,
  applicationId: number,
): Promise<{ reference: string; nonce: string; fingerprint: string } | undefined> {
  return db('draw_fingerprints')
    .where({ application_id: applicationId })
    .first('reference', 'nonce', 'fingerprint');
}

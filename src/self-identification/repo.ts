import type { Db } from '../db/knex.ts';
import {
  selfIdentificationAnswers,
  selfIdentificationQuestions,
  type SelfIdentificationAnswers,
  type SelfIdentificationQuestion,
} from './questions.ts';
import { suppressCells, MINIMUM_SHOWN, type RawCount, type ShownCount } from './suppression.ts';

/**
 * The only module that reads or writes `self_identifications` (test/unit/self-identification-reach
 * checks it): a supplier's own answers, for their own form, and counts in aggregate. No function
 * here returns anyone's answers to anyone else, and nothing here records an event.
 */

/** The signed-in supplier's own application to the opportunity this reference names. */
export async function ownApplication(
  db: Db,
  reference: string,
  supplierId: number,
): Promise<{ id: number; reference: string; title_en: string; title_fr: string } | undefined> {
  return db('applications as a')
    .join('opportunities as o', 'o.id', 'a.opportunity_id')
    .where({ 'o.reference': reference, 'a.supplier_id': supplierId })
    .first('a.id', 'o.reference', 'o.title_en', 'o.title_fr');
}

export async function answersOf(
  db: Db,
  applicationId: number,
): Promise<(SelfIdentificationAnswers & { answered_at: Date }) | undefined> {
  return db('self_identifications')
    .where({ application_id: applicationId })
    .first(...selfIdentificationQuestions, 'answered_at');
}

/**
 * A person's own answers, every application's, for the download of their personal data (the
 * Privacy Act's right of access): nobody else's, and for nothing else.
 */
export function answersOfPerson(db: Db, supplierId: number) {
  return db('self_identifications as s')
    .join('applications as a', 'a.id', 's.application_id')
    .join('opportunities as o', 'o.id', 'a.opportunity_id')
    .where('a.supplier_id', supplierId)
    .orderBy('s.answered_at')
    .select('o.reference', ...selfIdentificationQuestions.map((q) => `s.${q}`), 's.answered_at');
}

/** Saves the answers to one application's questions, replacing any earlier ones. */
export async function saveAnswers(
  db: Db,
  applicationId: number,
  answers: SelfIdentificationAnswers,
  now: Date,
): Promise<void> {
  await db('self_identifications')
    .insert({ application_id: applicationId, ...answers, answered_at: now })
    .onConflict('application_id')
    .merge();
}

export async function removeAnswers(db: Db, applicationId: number): Promise<void> {
  await db('self_identifications').where({ application_id: applicationId }).delete();
}

/** Which applications a summary counts; every application submitted (and not withdrawn) by default. */
export interface SelfIdentificationFilter {
  departmentId?: number;
  opportunityId?: number;
  /** Submitted at or after this instant. */
  submittedFrom?: Date;
  /** Submitted before this instant. */
  submittedBefore?: Date;
  /** Only the applications whose supplier accepted the terms: a contract under way or done. */
  winnersOnly?: boolean;
}

type Cell = SelfIdentificationAnswers[SelfIdentificationQuestion] | 'not_answered';
const cellsOfQuestion = [...selfIdentificationAnswers, 'not_answered'] as const;

export interface SelfIdentificationSummary {
  /** Counts of fewer people than this are hidden (null). */
  minimumShown: number;
  /** The applications counted: submitted ones (with or without answers), null when hidden. */
  applications: ShownCount;
  /** Per question, the applications per answer; `not_answered` includes no answers at all. */
  questions: Record<SelfIdentificationQuestion, Record<NonNullable<Cell>, ShownCount>>;
}

const CONTRACT_ACCEPTED = ['in_progress', 'delivered', 'accepted', 'completed', 'terminated'];

/**
 * The self-identification answers in aggregate, for the metrics page: per question, how many
 * applications answered yes, no, "prefer not to say" or nothing, with every count that could
 * point at fewer than 5 people hidden (see suppressCells). Counted in SQL: no one's answers leave
 * the database.
 */
export async function selfIdentificationSummary(
  db: Db,
  filter: SelfIdentificationFilter = {},
): Promise<SelfIdentificationSummary> {
  const aggregates: string[] = [
    'count(*)::int AS applications',
    'count(DISTINCT a.supplier_id)::int AS people',
  ];
  for (const q of selfIdentificationQuestions) {
    for (const cell of cellsOfQuestion) {
      const condition = cell === 'not_answered' ? `s.${q} IS NULL` : `s.${q} = '${cell}'`;
      aggregates.push(
        `count(*) FILTER (WHERE ${condition})::int AS "${q}:${cell}:applications"`,
        `count(DISTINCT a.supplier_id) FILTER (WHERE ${condition})::int AS "${q}:${cell}:people"`,
      );
    }
  }
  const row: Record<string, number> = await db('applications as a')
    .leftJoin('self_identifications as s', 's.application_id', 'a.id')
    .whereIn('a.status', ['submitted', 'passed', 'failed'])
    .modify((query) => {
      if (filter.departmentId !== undefined) query.where('a.department_id', filter.departmentId);
      if (filter.opportunityId !== undefined) query.where('a.opportunity_id', filter.opportunityId);
      if (filter.submittedFrom) query.where('a.submitted_at', '>=', filter.submittedFrom);
      if (filter.submittedBefore) query.where('a.submitted_at', '<', filter.submittedBefore);
      if (filter.winnersOnly) {
        query.whereExists(
          db('contracts as c')
            .whereRaw('c.application_id = a.id')
            .whereIn('c.status', CONTRACT_ACCEPTED),
        );
      }
    })
    .first(db.raw(aggregates.join(', ')));
  const population: RawCount = { applications: row.applications ?? 0, people: row.people ?? 0 };
  const questions = Object.fromEntries(
    selfIdentificationQuestions.map((q) => {
      const cells = Object.fromEntries(
        cellsOfQuestion.map((cell) => [
          cell,
          {
            applications: row[`${q}:${cell}:applications`] ?? 0,
            people: row[`${q}:${cell}:people`] ?? 0,
          },
        ]),
      ) as Record<NonNullable<Cell>, RawCount>;
      return [q, suppressCells(cells, population.people)];
    }),
  ) as SelfIdentificationSummary['questions'];
  return {
    minimumShown: MINIMUM_SHOWN,
    applications: population.people < MINIMUM_SHOWN ? null : population.applications,
    questions,
  };
}

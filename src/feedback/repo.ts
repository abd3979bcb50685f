import type { Db } from '../db/knex.ts';
import type { Lang } from '../platform/i18n.ts';
import type { FeedbackAnswer } from './schemas.ts';
import { stepsReached, type FeedbackStep } from './steps.ts';

export interface OwnApplication {
  id: number;
  reference: string;
  title: string;
  steps: FeedbackStep[];
}

/** The signed-in supplier's own application to the opportunity this reference names. */
export async function ownApplication(
  db: Db,
  reference: string,
  supplierId: number,
  lang: Lang,
): Promise<OwnApplication | undefined> {
  const row = await db('applications as a')
    .join('opportunities as o', 'o.id', 'a.opportunity_id')
    .where({ 'o.reference': reference, 'a.supplier_id': supplierId })
    .first(
      'a.id',
      'a.status',
      'o.reference',
      'o.status as opportunityStatus',
      `o.title_${lang} as title`,
      db.raw('EXISTS (SELECT 1 FROM contracts c WHERE c.application_id = a.id) AS offered'),
    );
  if (!row) return undefined;
  return { id: row.id, reference: row.reference, title: row.title ?? '', steps: stepsReached(row) };
}

export interface FeedbackRow {
  ease: number | null;
  clarity: number | null;
  would_help: string | null;
  updated_at: Date;
}

export function feedbackOf(
  db: Db,
  applicationId: number,
  step: FeedbackStep,
): Promise<FeedbackRow | undefined> {
  return db('feedback')
    .where({ application_id: applicationId, step })
    .first('ease', 'clarity', 'would_help', 'updated_at');
}

/** A person's own feedback, for the download of their personal data. */
export function feedbackOfPerson(db: Db, supplierId: number) {
  return db('feedback as f')
    .join('applications as a', 'a.id', 'f.application_id')
    .join('opportunities as o', 'o.id', 'a.opportunity_id')
    .where('a.supplier_id', supplierId)
    .orderBy('f.updated_at')
    .select('o.reference', 'f.step', 'f.ease', 'f.clarity', 'f.would_help', 'f.updated_at');
}

/** One answer per person per step: sending it again replaces the earlier one. */
export async function saveFeedback(
  db: Db,
  applicationId: number,
  answer: FeedbackAnswer,
  lang: Lang,
  now: Date,
): Promise<void> {
  const { step, ease, clarity, would_help } = answer;
  await db('feedback')
    .insert({
      application_id: applicationId,
      step,
      ease,
      clarity,
      would_help,
      language: lang,
      created_at: now,
      updated_at: now,
    })
    .onConflict(['application_id', 'step'])
    .merge(['ease', 'clarity', 'would_help', 'language', 'updated_at']);
}

/** Per step, for the metrics page: how many answered, and the average scores (null when none). */
export async function feedbackSummary(
  db: Db,
  filter: { departmentId?: number; opportunityId?: number } = {},
): Promise<
  {
    step: FeedbackStep;
    answers: number;
    averageEase: number | null;
    averageClarity: number | null;
  }[]
> {
  const rows = await db('feedback as f')
    .join('applications as a', 'a.id', 'f.application_id')
    .modify((query) => {
      if (filter.departmentId !== undefined) query.where('a.department_id', filter.departmentId);
      if (filter.opportunityId !== undefined) query.where('a.opportunity_id', filter.opportunityId);
    })
    .groupBy('f.step')
    .orderBy('f.step')
    .select(
      'f.step',
      db.raw('count(*)::int AS answers'),
      db.raw('round(avg(f.ease), 2)::float AS "averageEase"'),
      db.raw('round(avg(f.clarity), 2)::float AS "averageClarity"'),
    );
  return rows;
}

import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { Lang } from '../platform/i18n.ts';

type Conn = Db | Knex.Transaction;

/** A published question and its answer, in one language, as the public reads it. */
export interface PublishedAnswer {
  id: number;
  question: string;
  answer: string;
  answeredAt: Date;
}

/**
 * A question as staff see it. The asker is left out on purpose: the answer is public, and the
 * client who answers may later evaluate the asker's application without knowing who they are.
 */
export interface QuestionRow {
  id: number;
  question: string;
  language: Lang;
  asked_at: Date;
  question_en: string | null;
  question_fr: string | null;
  answer_en: string | null;
  answer_fr: string | null;
  answered_at: Date | null;
}

const staffColumns = [
  'id',
  'question',
  'language',
  'asked_at',
  'question_en',
  'question_fr',
  'answer_en',
  'answer_fr',
  'answered_at',
];

export function publishedAnswers(
  db: Conn,
  opportunityId: number,
  lang: Lang,
): Promise<PublishedAnswer[]> {
  return db('questions')
    .where({ opportunity_id: opportunityId })
    .whereNotNull('answered_at')
    .orderBy([{ column: 'answered_at' }, { column: 'id' }])
    .select<PublishedAnswer[]>(
      'id',
      `question_${lang} as question`,
      `answer_${lang} as answer`,
      'answered_at as answeredAt',
    );
}

/** Every question of an opportunity, those waiting for an answer first, oldest first. */
export function questionsOf(db: Conn, opportunityId: number): Promise<QuestionRow[]> {
  return db('questions')
    .where({ opportunity_id: opportunityId })
    .orderByRaw('answered_at IS NOT NULL, asked_at, id')
    .select<QuestionRow[]>(staffColumns);
}

export function lockQuestion(
  trx: Knex.Transaction,
  opportunityId: number,
  questionId: number,
): Promise<QuestionRow | undefined> {
  return trx('questions')
    .where({ id: questionId, opportunity_id: opportunityId })
    .forUpdate()
    .first<QuestionRow | undefined>(staffColumns);
}

export async function insertQuestion(
  trx: Knex.Transaction,
  q: { opportunityId: number; askedBy: number; question: string; language: Lang; at: Date },
): Promise<number> {
  const [row] = await trx('questions')
    .insert({
      opportunity_id: q.opportunityId,
      asked_by: q.askedBy,
      question: q.question,
      language: q.language,
      asked_at: q.at,
    })
    .returning('id');
  return row.id;
}

export interface PublishedWording {
  question_en: string;
  question_fr: string;
  answer_en: string;
  answer_fr: string;
}

/** Publishes (or corrects) the wording; the first publication records who answered and when. */
export async function saveAnswer(
  trx: Knex.Transaction,
  questionId: number,
  wording: PublishedWording,
  first: { by: number; at: Date } | undefined,
): Promise<void> {
  await trx('questions')
    .where({ id: questionId })
    .update({
      ...wording,
      ...(first ? { answered_by: first.by, answered_at: first.at } : {}),
    });
}

/** Where to tell the asker that their question was answered (nobody, if the account closed). */
export function askerOf(
  trx: Knex.Transaction,
  questionId: number,
): Promise<{ email: string; language: Lang } | undefined> {
  return trx('questions as q')
    .join('users as u', 'u.id', 'q.asked_by')
    .where('q.id', questionId)
    .whereNull('u.closed_at')
    .first('u.email as email', 'u.preferred_language as language');
}

export async function isWatching(db: Conn, opportunityId: number, userId: number) {
  return Boolean(
    await db('watchers').where({ opportunity_id: opportunityId, user_id: userId }).first('user_id'),
  );
}

export async function startWatching(db: Conn, opportunityId: number, userId: number, at: Date) {
  await db('watchers')
    .insert({ opportunity_id: opportunityId, user_id: userId, created_at: at })
    .onConflict(['opportunity_id', 'user_id'])
    .ignore();
}

export async function stopWatching(db: Conn, opportunityId: number, userId: number) {
  await db('watchers').where({ opportunity_id: opportunityId, user_id: userId }).delete();
}

/** Everyone watching an opportunity whose account is open, with the language they read. */
export function watchersOf(
  db: Conn,
  opportunityId: number,
): Promise<{ email: string; language: Lang }[]> {
  return db('watchers as w')
    .join('users as u', 'u.id', 'w.user_id')
    .where('w.opportunity_id', opportunityId)
    .whereNull('u.closed_at')
    .orderBy('w.created_at')
    .select('u.email as email', 'u.preferred_language as language');
}

export async function countUnanswered(db: Conn, opportunityId: number): Promise<number> {
  const row = await db('questions')
    .where({ opportunity_id: opportunityId })
    .whereNull('answered_at')
    .count<{ n: number }>({ n: '*' })
    .first();
  return Number(row?.n ?? 0);
}

import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { Lang } from '../platform/i18n.ts';
import { publicStatuses } from '../opportunities/states.ts';

type Conn = Db | Knex.Transaction;

export interface SubscriberRow {
  id: number;
  email: string;
  language: Lang;
  interests: string[];
  confirmed_at: Date | null;
  unsubscribed_at: Date | null;
}

export interface ConsentWording {
  version: number;
  text: string;
}

export type ConsentMethod = 'form' | 'profile';
export type WithdrawalMethod = 'one_click' | 'unsubscribe_page' | 'profile';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** On the list: confirmed, and not left since. */
export const isSubscribed = (row: SubscriberRow | undefined): row is SubscriberRow =>
  row !== undefined && row.confirmed_at !== null && row.unsubscribed_at === null;

/** The wording the forms show now: the latest version. */
export async function currentWording(db: Conn, lang: Lang): Promise<ConsentWording> {
  const row = await db('subscription_consent_wordings')
    .orderBy('version', 'desc')
    .first('version', `text_${lang} as text`);
  if (!row) throw new Error('no consent wording: the mailing-list migration seeds version 1');
  return row as ConsentWording;
}

export async function wordingExists(db: Conn, version: number): Promise<boolean> {
  return (
    (await db('subscription_consent_wordings').where({ version }).first('version')) !== undefined
  );
}

export function findSubscriberByEmail(db: Conn, email: string): Promise<SubscriberRow | undefined> {
  return db('subscribers').whereRaw('lower(email) = lower(?)', [email.trim()]).first();
}

/**
 * The row of this address, made if it is new, in one statement either way: a known address and
 * an unknown one cost the same work (nothing in the timing tells them apart).
 */
export async function subscriberRowFor(
  trx: Knex.Transaction,
  email: string,
  language: Lang,
  now: Date,
): Promise<SubscriberRow> {
  const result = await trx.raw<{ rows: SubscriberRow[] }>(
    `INSERT INTO subscribers (email, language, created_at) VALUES (?, ?, ?)
     ON CONFLICT (lower(email)) DO UPDATE SET email = subscribers.email
     RETURNING id, email, language, interests, confirmed_at, unsubscribed_at`,
    [email.trim(), language, now],
  );
  return result.rows[0]!;
}

interface Choices {
  language: Lang;
  interests: string[];
  consentVersion: number;
}

/** A confirmation link, stored hashed, carrying what the form asked for until it is used. */
export async function issueConfirmationToken(
  trx: Knex.Transaction,
  subscriberId: number,
  choices: Choices,
  now: Date,
  lifetimeMs: number,
): Promise<{ id: number; token: string }> {
  const token = randomBytes(32).toString('base64url');
  const [row] = await trx('subscription_tokens')
    .insert({
      subscriber_id: subscriberId,
      purpose: 'confirm',
      token_hash: sha256(token),
      created_at: now,
      expires_at: new Date(now.getTime() + lifetimeMs),
      language: choices.language,
      interests: choices.interests,
      consent_version: choices.consentVersion,
      method: 'form',
    })
    .returning('id');
  return { id: Number(row.id), token };
}

/** An unsubscribe link for one email; it works as long as the subscriber row exists. */
export async function issueUnsubscribeToken(
  trx: Knex.Transaction,
  subscriberId: number,
  now: Date,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await trx('subscription_tokens').insert({
    subscriber_id: subscriberId,
    purpose: 'unsubscribe',
    token_hash: sha256(token),
    created_at: now,
  });
  return token;
}

export interface ConfirmationToken extends Choices {
  subscriberId: number;
  requestedAt: Date;
}

const usableConfirmation = (db: Conn, token: string, now: Date) =>
  db('subscription_tokens')
    .where({ token_hash: sha256(token), purpose: 'confirm' })
    .whereNull('used_at')
    .andWhere('expires_at', '>', now);

/** Whether a confirmation link would work now, without using it (a page that only reads it). */
export async function confirmationUsable(db: Conn, token: string, now: Date): Promise<boolean> {
  return (await usableConfirmation(db, token, now).first('id')) !== undefined;
}

/** Uses a confirmation link: what it carries, or undefined if unknown, used or expired. */
export async function consumeConfirmationToken(
  trx: Knex.Transaction,
  token: string,
  now: Date,
): Promise<ConfirmationToken | undefined> {
  const [row] = await usableConfirmation(trx, token, now)
    .update({ used_at: now })
    .returning(['subscriber_id', 'language', 'interests', 'consent_version', 'created_at']);
  if (!row) return undefined;
  return {
    subscriberId: Number(row.subscriber_id),
    language: row.language,
    interests: row.interests,
    consentVersion: row.consent_version,
    requestedAt: row.created_at,
  };
}

export async function unsubscribeTokenHolder(db: Conn, token: string): Promise<number | undefined> {
  const row = await db('subscription_tokens')
    .where({ token_hash: sha256(token), purpose: 'unsubscribe' })
    .first('subscriber_id');
  return row && Number(row.subscriber_id);
}

/** Locks the row for a change of subscription. */
export function lockSubscriber(
  trx: Knex.Transaction,
  id: number,
): Promise<SubscriberRow | undefined> {
  return trx('subscribers').where({ id }).forUpdate().first();
}

/** On the list with these choices, consent recorded with its wording, method and times. */
export async function recordSubscription(
  trx: Knex.Transaction,
  subscriberId: number,
  choices: Choices & { method: ConsentMethod; requestedAt?: Date },
  now: Date,
): Promise<void> {
  await trx('subscribers').where({ id: subscriberId }).update({
    language: choices.language,
    interests: choices.interests,
    confirmed_at: now,
    unsubscribed_at: null,
  });
  await trx('subscription_consents').insert({
    subscriber_id: subscriberId,
    kind: 'given',
    at: now,
    method: choices.method,
    wording_version: choices.consentVersion,
    requested_at: choices.requestedAt ?? null,
  });
}

/** Off the list at once, the withdrawal recorded. */
export async function recordWithdrawal(
  trx: Knex.Transaction,
  subscriberId: number,
  method: WithdrawalMethod,
  now: Date,
): Promise<void> {
  await trx('subscribers').where({ id: subscriberId }).update({ unsubscribed_at: now });
  await trx('subscription_consents').insert({
    subscriber_id: subscriberId,
    kind: 'withdrawn',
    at: now,
    method,
  });
}

/**
 * The announcement's audience: confirmed subscribers who chose no interest, or one of the
 * opportunity's skills (in either language, whatever the case).
 */
export function subscribersInterestedIn(
  trx: Knex.Transaction,
  skills: readonly string[],
): Promise<Pick<SubscriberRow, 'id' | 'email' | 'language'>[]> {
  const wanted = [...new Set(skills.map((skill) => skill.trim().toLowerCase()))];
  return trx('subscribers')
    .whereNotNull('confirmed_at')
    .whereNull('unsubscribed_at')
    .andWhere((q) =>
      q
        .whereRaw('cardinality(interests) = 0')
        .orWhereRaw(
          'EXISTS (SELECT 1 FROM unnest(interests) AS i WHERE lower(i) = ANY(?::text[]))',
          [wanted],
        ),
    )
    .orderBy('id')
    .select('id', 'email', 'language');
}

/**
 * The skills the opportunities ask for, as the public sees them in this language: what the
 * mailing list offers as interests. One spelling per skill, in alphabetical order.
 */
export async function publishedSkills(
  db: Conn,
  lang: Lang,
  now: Date,
  limit: number,
): Promise<string[]> {
  const result = await db.raw<{ rows: { skill: string }[] }>(
    `SELECT min(trim(s)) AS skill
       FROM opportunities o, unnest(o.skills_${lang === 'fr' ? 'fr' : 'en'}) AS s
      WHERE o.status = ANY(?::text[]) AND o.opens_at <= ? AND trim(s) <> ''
      GROUP BY lower(trim(s))
      ORDER BY count(*) DESC, lower(trim(s))
      LIMIT ?`,
    [[...publicStatuses], now, limit],
  );
  return result.rows
    .map((row) => row.skill)
    .sort((a, b) => a.localeCompare(b, lang === 'fr' ? 'fr-CA' : 'en-CA'));
}

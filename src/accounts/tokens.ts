import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

export type TokenPurpose = 'confirm_email' | 'reset_password' | 'invitation';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** A single-use link token: the email carries it, the database keeps only its hash. */
export async function issueToken(
  trx: Knex | Knex.Transaction,
  userId: number,
  purpose: TokenPurpose,
  now: Date,
  lifetimeMs: number,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await trx('account_tokens').insert({
    user_id: userId,
    purpose,
    token_hash: sha256(token),
    created_at: now,
    expires_at: new Date(now.getTime() + lifetimeMs),
  });
  return token;
}

/**
 * The user a token would name if it were used now, without using it: a page can say whether its
 * link still works before the person acts on it (nothing that only reads a link consumes it).
 */
export async function tokenHolder(
  db: Knex | Knex.Transaction,
  token: string,
  purpose: TokenPurpose,
  now: Date,
): Promise<number | undefined> {
  const row: { user_id: number } | undefined = await db('account_tokens')
    .where({ token_hash: sha256(token), purpose })
    .whereNull('used_at')
    .andWhere('expires_at', '>', now)
    .first('user_id');
  return row && Number(row.user_id);
}

/** Marks the token used and returns its user, or undefined if unknown, used or expired. */
export async function consumeToken(
  trx: Knex.Transaction,
  token: string,
  purpose: TokenPurpose,
  now: Date,
): Promise<number | undefined> {
  const [row] = await trx('account_tokens')
    .where({ token_hash: sha256(token), purpose })
    .whereNull('used_at')
    .andWhere('expires_at', '>', now)
    .update({ used_at: now })
    .returning('user_id');
  return row?.user_id;
}

import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { commitmentOf, fingerprintOf, listHashOf, rankFingerprints } from './formulas.ts';
import { drawKeyOf, openSecret, sealSecret, type DrawKeyConfig } from './key.ts';

/**
 * The draw nobody can steer (issue 11, item 6), in four moments, each in its caller's
 * transaction:
 * 1. publishing: `commitToDraw` draws the 256-bit secret and keeps its SHA-256 commitment (public)
 *    and the secret sealed with DRAW_KEY;
 * 2. each submission: `fingerprintApplication` gives the application its public fingerprint,
 *    SHA-256 of `reference:nonce` with a random nonce. A reopened and resubmitted (or withdrawn
 *    and taken up again) application keeps the fingerprint it first had: it is the application's
 *    name in the draw, not a ticket, and renewing it would only let a supplier reshuffle;
 * 3. closing: `fixFingerprintList` publishes the fingerprints of the applications submitted at
 *    the deadline, and the database refuses any fingerprint after that;
 * 4. the evaluation locked: `drawOrder` ranks the passing applications by HMAC-SHA256(secret,
 *    fingerprint), keeps the order and reveals the secret.
 */

export interface DrawContext {
  config: DrawKeyConfig;
  now: Date;
}

/** Our own mistake, not a person's: the caller's transaction rolls back with it. */
class DrawError extends Error {}

/** The reference hashed into an application's fingerprint: the opportunity's, and the application's id. */
const applicationReference = (opportunityReference: string, applicationId: number) =>
  `${opportunityReference}-A${applicationId}`;

/** At publishing: the secret drawn, sealed, and its commitment; an opportunity has one, ever. */
export async function commitToDraw(
  trx: Knex.Transaction,
  opportunity: { id: number; departmentId: number },
  { config, now }: DrawContext,
): Promise<string> {
  const existing: { commitment: string } | undefined = await trx('draw_commitments')
    .where({ opportunity_id: opportunity.id })
    .first('commitment');
  if (existing) return existing.commitment;
  const secret = randomBytes(32);
  const sealed = sealSecret(drawKeyOf(config), opportunity.id, secret);
  const commitment = commitmentOf(secret);
  await trx('draw_commitments').insert({
    opportunity_id: opportunity.id,
    department_id: opportunity.departmentId,
    commitment,
    secret_iv: sealed.iv,
    secret_ciphertext: sealed.ciphertext,
    secret_tag: sealed.tag,
    key_id: sealed.keyId,
    committed_at: now,
  });
  return commitment;
}

export interface Fingerprint {
  reference: string;
  nonce: string;
  fingerprint: string;
}

/**
 * The application's fingerprint, made at its first submission and kept after (see above). The
 * supplier may be shown the reference and nonce, to check their fingerprint is on the list.
 */
export async function fingerprintApplication(
  trx: Knex.Transaction,
  applicationId: number,
  now: Date,
): Promise<Fingerprint> {
  const kept: Fingerprint | undefined = await trx('draw_fingerprints')
    .where({ application_id: applicationId })
    .first('reference', 'nonce', 'fingerprint');
  if (kept) return kept;
  const application:
    { opportunity_id: string; department_id: string; opportunity_reference: string } | undefined =
    await trx('applications as a')
      .join('opportunities as o', 'o.id', 'a.opportunity_id')
      .where('a.id', applicationId)
      .first('a.opportunity_id', 'a.department_id', 'o.reference as opportunity_reference');
  if (!application) throw new DrawError(`no application ${applicationId}`);
  const reference = applicationReference(application.opportunity_reference, applicationId);
  const nonce = randomBytes(32).toString('hex');
  const fingerprint = fingerprintOf(reference, nonce);
  await trx('draw_fingerprints').insert({
    opportunity_id: application.opportunity_id,
    department_id: application.department_id,
    application_id: applicationId,
    reference,
    nonce,
    fingerprint,
    created_at: now,
  });
  return { reference, nonce, fingerprint };
}

export interface FingerprintList {
  fingerprints: string[];
  listHash: string;
}

/**
 * At closing: the fingerprints of every application submitted at the deadline, sorted (so the
 * order tells nothing of when each came), fixed for good. A submitted application that somehow
 * has none gets it first.
 */
export async function fixFingerprintList(
  trx: Knex.Transaction,
  opportunityId: number,
  now: Date,
): Promise<FingerprintList> {
  const fixed: { fingerprints: string[]; list_hash: string } | undefined = await trx(
    'draw_fingerprint_lists',
  )
    .where({ opportunity_id: opportunityId })
    .first('fingerprints', 'list_hash');
  if (fixed) return { fingerprints: fixed.fingerprints, listHash: fixed.list_hash };
  const submitted: { id: string; department_id: string }[] = await trx('applications')
    .where({ opportunity_id: opportunityId, status: 'submitted' })
    .orderBy('id')
    .select('id', 'department_id');
  const fingerprints: string[] = [];
  for (const application of submitted) {
    fingerprints.push((await fingerprintApplication(trx, Number(application.id), now)).fingerprint);
  }
  fingerprints.sort();
  const listHash = listHashOf(fingerprints);
  const opportunity: { department_id: string } = await trx('opportunities')
    .where({ id: opportunityId })
    .first('department_id');
  await trx('draw_fingerprint_lists').insert({
    opportunity_id: opportunityId,
    department_id: opportunity.department_id,
    fingerprints,
    list_hash: listHash,
    fixed_at: now,
  });
  return { fingerprints, listHash };
}

export interface RankedApplication {
  rank: number;
  applicationId: number;
  fingerprint: string;
  hmac: string;
}

/**
 * When the evaluation is locked: the passing applications ranked by HMAC-SHA256(secret,
 * fingerprint), ascending, kept in draw_results (rank 1 is offered the contract first, then the
 * next in line), and the secret revealed. Once drawn, the same order comes back for the same
 * applications; anything else (an application not on the fixed list, another set of passing
 * applications) is refused.
 */
export async function drawOrder(
  trx: Knex.Transaction,
  opportunityId: number,
  passingApplicationIds: readonly number[],
  { config, now }: DrawContext,
): Promise<RankedApplication[]> {
  const commitment = await trx('draw_commitments')
    .where({ opportunity_id: opportunityId })
    .forUpdate()
    .first();
  if (!commitment) throw new DrawError(`opportunity ${opportunityId} has no draw commitment`);
  const list: { fingerprints: string[] } | undefined = await trx('draw_fingerprint_lists')
    .where({ opportunity_id: opportunityId })
    .first('fingerprints');
  if (!list) throw new DrawError(`opportunity ${opportunityId}: the fingerprint list is not fixed`);
  const ids = [...new Set(passingApplicationIds)].sort((a, b) => a - b);
  const passing: { application_id: string; fingerprint: string }[] = await trx('draw_fingerprints')
    .where({ opportunity_id: opportunityId })
    .whereIn('application_id', ids)
    .select('application_id', 'fingerprint');
  const listed = new Set(list.fingerprints);
  if (passing.length !== ids.length || passing.some((p) => !listed.has(p.fingerprint))) {
    throw new DrawError(`opportunity ${opportunityId}: a passing application is not on its list`);
  }
  const drawn = await drawnOrder(trx, opportunityId);
  if (commitment.secret !== null) {
    const same = drawn.length === ids.length && drawn.every((d) => ids.includes(d.applicationId));
    if (!same) throw new DrawError(`opportunity ${opportunityId} is drawn already`);
    return drawn;
  }
  const secret = openSecret(drawKeyOf(config), opportunityId, {
    iv: commitment.secret_iv,
    ciphertext: commitment.secret_ciphertext,
    tag: commitment.secret_tag,
    keyId: commitment.key_id,
  });
  if (commitmentOf(secret) !== commitment.commitment) {
    throw new DrawError(`opportunity ${opportunityId}: the secret does not match its commitment`);
  }
  const applicationOf = new Map(passing.map((p) => [p.fingerprint, Number(p.application_id)]));
  const order = rankFingerprints(
    secret,
    passing.map((p) => p.fingerprint),
  ).map((r) => ({ ...r, applicationId: applicationOf.get(r.fingerprint)! }));
  if (order.length > 0) {
    await trx('draw_results').insert(
      order.map((r) => ({
        opportunity_id: opportunityId,
        department_id: commitment.department_id,
        rank: r.rank,
        application_id: r.applicationId,
        fingerprint: r.fingerprint,
        hmac: r.hmac,
        drawn_at: now,
      })),
    );
  }
  await trx('draw_commitments')
    .where({ opportunity_id: opportunityId })
    .update({ secret: secret.toString('hex'), revealed_at: now });
  return order;
}

/** The order kept by the draw, rank 1 first (empty before the draw). */
export async function drawnOrder(
  trx: Knex.Transaction,
  opportunityId: number,
): Promise<RankedApplication[]> {
  const rows: { rank: number; application_id: string; fingerprint: string; hmac: string }[] =
    await trx('draw_results')
      .where({ opportunity_id: opportunityId })
      .orderBy('rank')
      .select('rank', 'application_id', 'fingerprint', 'hmac');
  return rows.map((r) => ({
    rank: r.rank,
    applicationId: Number(r.application_id),
    fingerprint: r.fingerprint,
    hmac: r.hmac,
  }));
}

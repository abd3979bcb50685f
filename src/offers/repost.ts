import type { Knex } from 'knex';
import { recordOpportunityEvent } from '../lifecycle/events.ts';
import { create, TransitionError } from '../lifecycle/transition.ts';
import { opportunityMachine } from '../opportunities/machine.ts';
import { byRequester } from '../opportunities/guards.ts';
import { nextReference } from '../opportunities/reference.ts';
import type { OpportunityRow } from '../opportunities/row.ts';
import type { CurrentUser } from '../platform/auth.ts';
import { easternDate } from '../platform/dates.ts';

/**
 * What a re-posted request takes from the old one: its texts in both languages, the repository
 * and licence, the price and the coding. Not its dates (they have passed), its fund reservation
 * (section 32 approves the new request like any other) or its status.
 */
const copiedColumns = [
  'source_language',
  'title_en',
  'title_fr',
  'summary_en',
  'summary_fr',
  'description_en',
  'description_fr',
  'skills_en',
  'skills_fr',
  'repository_url',
  'licence',
  'price_cents',
  'cost_centre',
  'fund',
  'gl_account',
  'payment_method',
] as const;

/** No one qualified, or the contract was terminated for non-delivery and the opportunity ended. */
export const repostableStatuses: readonly string[] = ['no_qualified_applicant', 'terminated'];

export type RepostRefusal =
  { code: 'notNoQualified' } | { code: 'already'; reference: string } | { code: 'notRequester' };

export class RepostRefused extends Error {
  constructor(readonly refusal: RepostRefusal) {
    super(refusal.code);
  }
}

/** The request re-posted from this one, if any (the link from the old to the new). */
export async function repostOf(
  db: Knex | Knex.Transaction,
  opportunityId: number,
): Promise<string | undefined> {
  const row = await db('opportunities')
    .where({ reposted_from_id: opportunityId })
    .first('reference');
  return row?.reference;
}

/**
 * No qualified applicant, or a termination that ended the opportunity: the requester re-posts the opportunity as a new draft request filled
 * in from it, with a new reference, linked both ways (the new one names the old, the old one's
 * file records the new reference). The old opportunity keeps its state; the new one is
 * submitted, screened and funded like any request.
 */
export async function repostOpportunity(
  trx: Knex.Transaction,
  user: CurrentUser,
  reference: string,
  now: Date,
): Promise<string> {
  const old: OpportunityRow | undefined = await trx('opportunities')
    .where({ reference })
    .forUpdate()
    .first();
  if (!old) throw new TransitionError({ kind: 'not_found' });
  if (byRequester(old, user)) throw new RepostRefused({ code: 'notRequester' });
  if (!repostableStatuses.includes(old.status)) throw new RepostRefused({ code: 'notNoQualified' });
  const already = await repostOf(trx, old.id);
  if (already) throw new RepostRefused({ code: 'already', reference: already });

  const newReference = await nextReference(trx, Number(easternDate(now).slice(0, 4)));
  const values = Object.fromEntries(copiedColumns.map((c) => [c, old[c] ?? null]));
  const { id } = await create(trx, opportunityMachine, {
    values: {
      ...values,
      reference: newReference,
      department_id: old.department_id,
      requester_id: user.id,
      reposted_from_id: old.id,
    },
    actor: user,
    now,
    action: 'request_started',
    payload: { sourceLanguage: old.source_language, repostedFrom: old.reference },
  });
  for (const table of ['mandatory_criteria', 'acceptance_criteria']) {
    const criteria: { position: number; text_en: string; text_fr: string }[] = await trx(table)
      .where({ opportunity_id: old.id })
      .orderBy('position')
      .select('position', 'text_en', 'text_fr');
    if (criteria.length > 0) {
      await trx(table).insert(criteria.map((c) => ({ ...c, opportunity_id: id })));
    }
  }
  await recordOpportunityEvent(trx, {
    opportunityId: old.id,
    action: 'reposted',
    actorId: user.id,
    at: now,
    payload: { as: newReference },
  });
  return newReference;
}

import type { Knex } from 'knex';
import { recordEvent } from '../lifecycle/events.ts';
import type { CurrentUser } from '../platform/auth.ts';
import { insertTermsVersion } from './repo.ts';

/**
 * An administrator publishes a new version; offers made from now on show it. Acceptances name
 * the version they accepted, so nothing already accepted changes.
 */
export async function publishTerms(
  trx: Knex.Transaction,
  admin: CurrentUser,
  texts: { body_en: string; body_fr: string },
  now: Date,
): Promise<number> {
  const { id, number } = await insertTermsVersion(trx, {
    en: texts.body_en,
    fr: texts.body_fr,
    by: admin.id,
    at: now,
  });
  await recordEvent(trx, {
    entityType: 'terms_version',
    entityId: id,
    opportunityId: null,
    departmentId: null,
    action: 'publish_terms',
    actorId: admin.id,
    at: now,
    payload: { number },
  });
  return number;
}

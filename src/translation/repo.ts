import type { Knex } from 'knex';
import type { OpportunityRow } from '../opportunities/row.ts';
import { skillLines, type FieldPair } from './fields.ts';

/** The request, locked until the end of the transaction so two saves never interleave. */
export function lockRequest(
  trx: Knex.Transaction,
  reference: string,
): Promise<OpportunityRow | undefined> {
  return trx('opportunities').where({ reference }).forUpdate().first();
}

/**
 * Writes the changed pairs and takes a new version: a person who opened the page (or the
 * preview) before this save is refused as stale rather than acting on text they did not see.
 */
export async function saveTexts(
  trx: Knex.Transaction,
  opportunity: { id: number; version: number },
  changed: readonly FieldPair[],
  now: Date,
): Promise<number> {
  const columns: Record<string, unknown> = {};
  for (const pair of changed) {
    if (pair.kind === 'title' || pair.kind === 'summary' || pair.kind === 'description') {
      columns[`${pair.kind}_en`] = pair.en;
      columns[`${pair.kind}_fr`] = pair.fr;
    } else if (pair.kind === 'skills') {
      columns.skills_en = skillLines(pair.en);
      columns.skills_fr = skillLines(pair.fr);
    } else {
      await trx(pair.kind === 'mandatory' ? 'mandatory_criteria' : 'acceptance_criteria')
        .where({ opportunity_id: opportunity.id, position: pair.position })
        .update({ text_en: pair.en, text_fr: pair.fr });
    }
  }
  const version = opportunity.version + 1;
  await trx('opportunities')
    .where({ id: opportunity.id })
    .update({ ...columns, version, updated_at: now });
  return version;
}

export async function markTranslationRequested(
  trx: Knex.Transaction,
  opportunityId: number,
  now: Date,
): Promise<void> {
  await trx('opportunities').where({ id: opportunityId }).update({ translation_requested_at: now });
}

export async function markTranslationReceived(
  trx: Knex.Transaction,
  opportunityId: number,
  now: Date,
): Promise<void> {
  await trx('opportunities').where({ id: opportunityId }).update({ translation_received_at: now });
}

/** The preview link's nonce and its token's hash: never the token (src/publishing/preview-link.ts). */
export async function setPreviewLink(
  trx: Knex.Transaction,
  opportunityId: number,
  link: { nonce: string; hash: string },
): Promise<void> {
  await trx('opportunities')
    .where({ id: opportunityId })
    .update({ preview_nonce: link.nonce, preview_token_hash: link.hash });
}

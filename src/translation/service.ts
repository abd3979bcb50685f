import { opportunityMachine } from '../opportunities/machine.ts';
import type { Knex } from 'knex';
import type { AppDeps } from '../platform/deps.ts';
import { recordOpportunityEvent } from '../lifecycle/events.ts';
import type { OpportunityRow } from '../opportunities/row.ts';
import { notify } from '../lifecycle/notify.ts';
import type { OpportunityStatus } from '../opportunities/states.ts';
import { transition, TransitionError, type TransitionFailure } from '../lifecycle/transition.ts';
import type { CurrentUser } from '../platform/auth.ts';
import { url } from '../platform/routes.ts';
import { newPreviewLink, previewTokenOf } from '../publishing/preview-link.ts';
import { criteriaOf } from '../requests/repo.ts';
import { changedPairs, flagOf, isBlocking, pairsOf, type FieldPair } from './fields.ts';
import {
  lockRequest,
  markTranslationReceived,
  markTranslationRequested,
  saveTexts,
  setPreviewLink,
} from './repo.ts';
import type { TranslationForm, TranslationIntent } from './schemas.ts';

/**
 * The text is translated after section 32 and may be corrected while the client has not yet
 * approved the preview; after that approval, what is published must be what the client saw.
 * Once published, a change is an addendum (another screen), never a silent edit.
 */
const translationStatuses: readonly OpportunityStatus[] = ['funds_approved', 'translated'];

export const isTranslatable = (status: string): boolean =>
  translationStatuses.includes(status as OpportunityStatus);

/** Why a button of the editor did not do what it says. */
type TranslationRefusal =
  | { kind: 'transition'; failure: TransitionFailure }
  /** Texts still missing in a language: the pairs, to name each one. */
  | { kind: 'incomplete'; pairs: FieldPair[] };

export type TranslationOutcome =
  | { ok: true; intent: TranslationIntent }
  | {
      ok: false;
      refusal: TranslationRefusal;
      /** The typed texts were saved all the same, under this version. */
      saved: boolean;
      version: number;
    };

/** The editor as it is now: the request's pairs, from the database. */
export async function editorPairs(db: AppDeps['db'], opportunity: OpportunityRow) {
  return pairsOf(opportunity, await criteriaOf(db, opportunity.id));
}

/**
 * Translation received: the request moves to `translated` (the guard checks every text exists
 * in both languages), gets its preview link and the client is asked to approve the preview.
 * Runs in a savepoint so a refusal leaves the texts just saved in place.
 */
async function completeTranslation(
  trx: Knex.Transaction,
  deps: AppDeps,
  actor: CurrentUser,
  opportunity: OpportunityRow,
  version: number,
): Promise<void> {
  const now = deps.clock.now();
  await trx.transaction(async (savepoint) => {
    await markTranslationReceived(savepoint, opportunity.id, now);
    const done = await transition(savepoint, opportunityMachine, {
      now: deps.clock.now(),
      id: opportunity.id,
      action: 'complete_translation',
      actor,
      expectedVersion: version,
    });
    const secret = deps.config.SESSION_SECRET;
    let token = previewTokenOf(secret, opportunity);
    if (!token) {
      const link = newPreviewLink(secret);
      await setPreviewLink(savepoint, opportunity.id, link);
      token = link.token;
    }
    await notify(savepoint, now, {
      template: 'preview-ready',
      opportunityId: opportunity.id,
      to: ['requester'],
      key: done.eventId,
      link: { en: url('preview', { token }, 'en'), fr: url('preview', { token }, 'fr') },
    });
  });
}

/**
 * Every button of the editor saves both columns first (nothing typed is lost), then marks the
 * translation requested or complete. One transaction; the row is locked for its length.
 */
export async function submitTranslation(
  deps: AppDeps,
  actor: CurrentUser,
  reference: string,
  form: TranslationForm,
): Promise<TranslationOutcome> {
  const now = deps.clock.now();
  return deps.db.transaction(async (trx) => {
    const opportunity = await lockRequest(trx, reference);
    const refuse = (failure: TransitionFailure, version = form.version) => ({
      ok: false as const,
      refusal: { kind: 'transition' as const, failure },
      saved: false,
      version,
    });
    if (!opportunity) return refuse({ kind: 'not_found' });
    if (!isTranslatable(opportunity.status)) {
      return refuse({ kind: 'wrong_state', status: opportunity.status });
    }
    // The page comes back with what was typed and the current version: saving again, after the
    // warning, replaces the other change knowingly instead of being refused forever.
    if (opportunity.version !== form.version) {
      return refuse({ kind: 'stale' }, opportunity.version);
    }

    const changed = changedPairs(await editorPairs(trx, opportunity), form.pairs);
    let version = opportunity.version;
    if (changed.length > 0) {
      version = await saveTexts(trx, opportunity, changed, now);
      await recordOpportunityEvent(trx, {
        opportunityId: opportunity.id,
        action: 'translation_saved',
        actorId: actor.id,
        at: now,
        payload: { fields: changed.map((pair) => pair.key) },
      });
    }
    const saved = changed.length > 0;

    if (form.intent === 'request' && !opportunity.translation_requested_at) {
      await markTranslationRequested(trx, opportunity.id, now);
      await recordOpportunityEvent(trx, {
        opportunityId: opportunity.id,
        action: 'translation_requested',
        actorId: actor.id,
        at: now,
      });
    }

    if (form.intent === 'complete') {
      const incomplete = form.pairs.filter((pair) => isBlocking(flagOf(pair)));
      if (incomplete.length > 0) {
        return { ok: false, refusal: { kind: 'incomplete', pairs: incomplete }, saved, version };
      }
      try {
        await completeTranslation(trx, deps, actor, opportunity, version);
      } catch (error) {
        if (!(error instanceof TransitionError)) throw error;
        return { ...refuse(error.failure, version), saved };
      }
    }
    return { ok: true, intent: form.intent };
  });
}

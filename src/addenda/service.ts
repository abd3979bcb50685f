import { applicantsOf, flagSubmittedApplications } from '../applications/repo.ts';
import { scheduleClosing } from '../opportunities/closing.ts';
import { isOpen } from '../opportunities/states.ts';
import type { Knex } from 'knex';
import type { AppDeps } from '../platform/deps.ts';
import { recordOpportunityEvent } from '../lifecycle/events.ts';
import { notify } from '../lifecycle/notify.ts';
import type { CurrentUser } from '../platform/auth.ts';
import { easternDate, formatDeadline } from '../platform/dates.ts';
import { languages, type Lang } from '../platform/i18n.ts';
import { watchersOf } from '../questions/repo.ts';
import { sameLineBreaks } from '../questions/schemas.ts';
import {
  amendOpportunity,
  insertAddendum,
  lockCriteria,
  lockOpportunity,
  nextAddendumNumber,
  reviseCriterion,
  type AmendableOpportunity,
  type CurrentCriterion,
} from './repo.ts';
import {
  changeableTexts,
  type AddendumForm,
  type ChangeableText,
  type CriterionText,
} from './schemas.ts';

/** Open means published and before its deadline: the only time an addendum can be published. */
export function isAmendable(o: { status: string; closes_at: Date | null }, now: Date): boolean {
  return isOpen({ status: o.status, closesAt: o.closes_at }, now);
}

export type AddendumRefusal =
  | { code: 'notFound' | 'notOpen' | 'stale' | 'nothingChanged' | 'past' }
  | { code: 'notLater'; current: Date }
  | { code: 'afterDelivery'; deliveryDueOn: string };

export type Published =
  { ok: true; number: number; told: number } | { ok: false; refusal: AddendumRefusal };

/**
 * Everyone to tell of an addendum: the suppliers who watch the opportunity and those with a
 * draft or submitted application, each once.
 */
async function peopleToTellOfAddendum(
  trx: Knex.Transaction,
  opportunityId: number,
): Promise<{ email: string; language: Lang }[]> {
  const watchers = await watchersOf(trx, opportunityId);
  const applicants = await applicantsOf(trx, opportunityId);
  const seen = new Set(watchers.map((w) => w.email));
  return [...watchers, ...applicants.filter((a) => !seen.has(a.email) && seen.add(a.email))];
}

/** The criteria whose texts the form changes (spacing aside), each with its new texts. */
function criteriaRevised(current: readonly CurrentCriterion[], typed: readonly CriterionText[]) {
  return typed.flatMap((t) => {
    const criterion = current.find((c) => c.kind === t.kind && c.id === t.id);
    if (!criterion) return [];
    const same = (['en', 'fr'] as const).every(
      (lang) => t[lang] === sameLineBreaks(criterion[`text_${lang}`]).trim(),
    );
    return same ? [] : [{ criterion, texts: { en: t.en, fr: t.fr } }];
  });
}

function refuse(refusal: AddendumRefusal): Published {
  return { ok: false, refusal };
}

/** Checks a new closing against the locked row: later than now and than today's, before delivery. */
function extensionProblem(
  o: AmendableOpportunity,
  newClosesAt: Date,
  now: Date,
): AddendumRefusal | undefined {
  if (o.closes_at && newClosesAt.getTime() <= o.closes_at.getTime()) {
    return { code: 'notLater', current: o.closes_at };
  }
  if (newClosesAt.getTime() <= now.getTime()) return { code: 'past' };
  if (o.delivery_due_on && o.delivery_due_on <= easternDate(newClosesAt)) {
    return { code: 'afterDelivery', deliveryDueOn: o.delivery_due_on };
  }
  return undefined;
}

/**
 * Publishes a numbered addendum to an open opportunity, in one transaction: the addendum row with
 * what changed, the changed columns and a new `version`, one `addendum` event and an email to
 * everyone concerned. An extension of the deadline is an addendum whose changes include
 * `closes_at`; its event payload carries `closesAt: { from, to }`, so one event tells both.
 */
export async function publishAddendum(
  deps: AppDeps,
  actor: CurrentUser,
  opportunityId: number,
  form: AddendumForm,
): Promise<Published> {
  const now = deps.clock.now();
  return deps.db.transaction(async (trx) => {
    const o = await lockOpportunity(trx, opportunityId);
    if (!o) return refuse({ code: 'notFound' });
    if (!isAmendable(o, now)) return refuse({ code: 'notOpen' });
    if (o.version !== form.version) return refuse({ code: 'stale' });
    const changed: Partial<Record<ChangeableText | 'closes_at', string | Date>> = {};
    for (const column of changeableTexts) {
      // Texts saved before (by the request form, the seed) may differ only in spacing.
      if (form.texts[column] !== sameLineBreaks(o[column]).trim()) {
        changed[column] = form.texts[column];
      }
    }
    const revised = criteriaRevised(await lockCriteria(trx, o.id), form.criteria ?? []);
    if (form.newClosesAt) {
      const problem = extensionProblem(o, form.newClosesAt, now);
      if (problem) return refuse(problem);
      changed.closes_at = form.newClosesAt;
    }
    const revisedKinds = [...new Set(revised.map((r) => r.criterion.kind))];
    const changes = [...Object.keys(changed), ...revisedKinds.map((kind) => `${kind}_criteria`)];
    if (changes.length === 0) return refuse({ code: 'nothingChanged' });

    const number = await nextAddendumNumber(trx, o.id);
    const extension = form.newClosesAt ? { from: o.closes_at, to: form.newClosesAt } : undefined;
    const addendumId = await insertAddendum(trx, {
      opportunityId: o.id,
      number,
      summary: form.summary,
      changes,
      previousClosesAt: extension?.from ?? null,
      newClosesAt: extension?.to ?? null,
      createdBy: actor.id,
      at: now,
    });
    if (!(await amendOpportunity(trx, o, changed, now))) return refuse({ code: 'stale' });
    for (const { criterion, texts } of revised) {
      await reviseCriterion(trx, criterion, texts, addendumId, now);
    }
    // Submitted applications answered the old wording: their suppliers confirm or revise.
    if (revisedKinds.includes('mandatory')) await flagSubmittedApplications(trx, o.id, now);
    // The closing job moves with the deadline (same key: the old one is replaced).
    if (extension) await scheduleClosing(trx, { id: o.id, closesAt: extension.to });
    await recordOpportunityEvent(trx, {
      opportunityId: o.id,
      action: 'addendum',
      actorId: actor.id,
      at: now,
      payload: {
        number,
        changes,
        ...(extension ? { closesAt: extension } : {}),
        ...(revised.length
          ? {
              criteria: revised.map(({ criterion }) => ({
                kind: criterion.kind,
                id: criterion.id,
                version: criterion.version + 1,
              })),
            }
          : {}),
      },
    });
    const people = await peopleToTellOfAddendum(trx, o.id);
    await notify(trx, now, {
      template: 'addendum-published',
      opportunityId: o.id,
      to: people,
      key: `addendum-${number}`,
      link: 'opportunity',
      data: { values: emailValues(deps, number, form.summary, extension?.to) },
    });
    return { ok: true, number, told: people.length };
  });
}

/** The addendum's own words and, for an extension, the new deadline, in each language. */
function emailValues(
  deps: AppDeps,
  number: number,
  summary: { en: string; fr: string },
  newClosesAt: Date | undefined,
) {
  return Object.fromEntries(
    languages.map((lang) => {
      const t = deps.translator.t(lang);
      const extension = newClosesAt
        ? t('emails.addendum-published.extension', {
            deadline: formatDeadline(newClosesAt, lang),
          })
        : '';
      return [lang, { number, summary: summary[lang], extension }];
    }),
  );
}

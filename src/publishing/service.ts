import { opportunityMachine } from '../opportunities/machine.ts';
import type { Knex } from 'knex';
import type { AppDeps } from '../platform/deps.ts';
import type { OpportunityRow } from '../opportunities/row.ts';
import { commitToDraw } from '../draw/service.ts';
import { notify } from '../lifecycle/notify.ts';
import { scheduleClosing } from '../opportunities/closing.ts';
import { previewStatuses, type OpportunityStatus } from '../opportunities/states.ts';
import {
  inOneTransaction,
  transition,
  TransitionError,
  type StepOutcome,
} from '../lifecycle/transition.ts';
import type { CurrentUser } from '../platform/auth.ts';
import { formatDeadline } from '../platform/dates.ts';
import { isLang, languages, type Lang } from '../platform/i18n.ts';
import { enqueueEmail } from '../platform/mail/outbox.ts';
import { formatMoney } from '../platform/money.ts';
import { url } from '../platform/routes.ts';
import { findRequest } from '../requests/repo.ts';
import { subscribersInterestedIn } from '../subscriptions/repo.ts';
import { setPublicationWindow } from './repo.ts';

/** The client's preview exists from translation until publication. */
export const isPreviewable = (status: string): boolean =>
  previewStatuses.includes(status as OpportunityStatus);

export type { StepOutcome };

const step = (deps: AppDeps, run: (trx: Knex.Transaction) => Promise<void>) =>
  inOneTransaction(deps.db, run);

/** The client approves the preview: ready to publish, and the program officers are told. */
export function approvePreview(
  deps: AppDeps,
  actor: CurrentUser,
  reference: string,
  version: number,
): Promise<StepOutcome> {
  return step(deps, async (trx) => {
    const opportunity = await findRequest(trx, reference);
    if (!opportunity) throw new TransitionError({ kind: 'not_found' });
    const done = await transition(trx, opportunityMachine, {
      now: deps.clock.now(),
      id: opportunity.id,
      action: 'approve_preview',
      actor,
      expectedVersion: version,
    });
    await notify(trx, deps.clock.now(), {
      template: 'ready-to-publish',
      opportunityId: opportunity.id,
      to: [{ role: 'program_officer' }],
      key: done.eventId,
      link: 'publish',
    });
  });
}

const inBothLanguages = <T>(value: (lang: Lang) => T): Record<Lang, T> =>
  Object.fromEntries(languages.map((lang) => [lang, value(lang)])) as Record<Lang, T>;

/** The outbox keys of an opportunity's announcement, one per subscriber after the prefix. */
export const announcementKeyPrefix = (opportunityId: number) => `new-opportunity:${opportunityId}:`;

/**
 * The mailing-list announcement, one email per confirmed subscriber whose interests match (or who
 * chose none), in their language first.
 */
async function announce(
  trx: Knex.Transaction,
  opportunity: OpportunityRow,
  window: { opensAt: Date; closesAt: Date },
  now: Date,
): Promise<void> {
  const { closesAt } = window;
  const text = (column: string) =>
    inBothLanguages((lang) => String(opportunity[`${column}_${lang}`] ?? ''));
  const data = {
    reference: opportunity.reference,
    title: text('title'),
    summary: text('summary'),
    price: inBothLanguages((lang) => formatMoney(opportunity.price_cents ?? 0, lang)),
    deadline: inBothLanguages((lang) => formatDeadline(closesAt, lang)),
    links: inBothLanguages((lang) => url('opportunity', { ref: opportunity.reference }, lang)),
  };
  const skills = languages.flatMap(
    (lang) => (opportunity[`skills_${lang}`] as string[] | null) ?? [],
  );
  // Each email's unsubscribe link and headers are made when it is sent, if its address is still
  // on the list then (src/subscriptions/sending.ts).
  for (const subscriber of await subscribersInterestedIn(trx, skills)) {
    await enqueueEmail(
      trx,
      {
        idempotencyKey: `${announcementKeyPrefix(opportunity.id)}${subscriber.id}`,
        template: 'new-opportunity',
        to: subscriber.email,
        language: isLang(subscriber.language) ? subscriber.language : null,
        // The subscription form asks which language the emails come in.
        languageOnly: true,
        data,
        // Subscribers hear of it when it opens, not before the public can see it.
        sendAt: window.opensAt,
      },
      now,
    );
  }
}

/**
 * Publishes with its window: the dates, the transition (guards: request rules with the real
 * closing date, section 32 reservation, both languages), the draw's commitment, the requester
 * told and the mailing list announced — all or nothing.
 */
export function publishOpportunity(
  deps: AppDeps,
  actor: CurrentUser,
  reference: string,
  version: number,
  window: { opensAt: Date; closesAt: Date },
): Promise<StepOutcome> {
  return step(deps, async (trx) => {
    const opportunity = await findRequest(trx, reference);
    if (!opportunity) throw new TransitionError({ kind: 'not_found' });
    if (!(await setPublicationWindow(trx, { id: opportunity.id, version }, window))) {
      throw new TransitionError({ kind: 'stale' });
    }
    const done = await transition(trx, opportunityMachine, {
      now: deps.clock.now(),
      id: opportunity.id,
      action: 'publish',
      actor,
      expectedVersion: version,
      payload: { opensAt: window.opensAt, closesAt: window.closesAt },
    });
    await scheduleClosing(trx, { id: opportunity.id, closesAt: window.closesAt });
    const now = deps.clock.now();
    // The draw's secret is chosen now, before any application exists; its commitment is public.
    await commitToDraw(
      trx,
      { id: opportunity.id, departmentId: opportunity.department_id },
      { config: deps.config, now },
    );
    await notify(trx, now, {
      template: 'opportunity-published',
      opportunityId: opportunity.id,
      to: ['requester'],
      key: done.eventId,
      link: 'opportunity',
      data: {
        values: inBothLanguages((lang) => ({ deadline: formatDeadline(window.closesAt, lang) })),
      },
    });
    await announce(trx, opportunity, window, now);
  });
}

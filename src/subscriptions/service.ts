import { recipientHasRoom } from '../accounts/email-limit.ts';
import type { AppDeps } from '../platform/deps.ts';
import { languages, type Lang } from '../platform/i18n.ts';
import { enqueueEmail } from '../platform/mail/outbox.ts';
import { url } from '../platform/routes.ts';
import {
  confirmationUsable,
  consumeConfirmationToken,
  findSubscriberByEmail,
  isSubscribed,
  issueConfirmationToken,
  lockSubscriber,
  recordSubscription,
  recordWithdrawal,
  subscriberRowFor,
  unsubscribeTokenHolder,
  type WithdrawalMethod,
} from './repo.ts';
import type { SubscribeForm } from './schemas.ts';

/** How long a confirmation link works (the emails say 7 days). */
const CONFIRMATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

const linksTo = (publicUrl: string, token: string) =>
  Object.fromEntries(
    languages.map((lang) => [lang, `${publicUrl}${url('confirmSubscription', { token }, lang)}`]),
  );

/**
 * The public form: one email, whatever the address's state, and the same page after it. An
 * address not on the list (new, waiting for confirmation, or gone) gets the confirmation link; one
 * on the list gets "you are already subscribed", whose link applies the choices just made — so
 * nobody else's choices change before the owner of the address agrees. Both queue one link and
 * one email: the work, and so the time taken, does not depend on the address. Past the
 * per-address limit nothing is sent, and the page says the same.
 */
export async function subscribe(deps: AppDeps, form: SubscribeForm): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    const subscriber = await subscriberRowFor(trx, form.email, form.language, now);
    const onTheList = isSubscribed(subscriber);
    const template = onTheList ? 'subscription-already' : 'subscription-confirmation';
    if (!(await recipientHasRoom(trx, template, subscriber.email, now))) return;
    const link = await issueConfirmationToken(
      trx,
      subscriber.id,
      { language: form.language, interests: form.interests, consentVersion: form.consentVersion },
      now,
      CONFIRMATION_LIFETIME_MS,
    );
    await enqueueEmail(
      trx,
      {
        idempotencyKey: `subscription:${link.id}`,
        template,
        to: subscriber.email,
        // The language asked for on the form; one already on the list keeps theirs until they agree.
        language: onTheList ? subscriber.language : form.language,
        data: { link: linksTo(deps.config.PUBLIC_URL, link.token) },
      },
      now,
    );
  });
}

export function confirmationLinkWorks(deps: AppDeps, token: string): Promise<boolean> {
  return confirmationUsable(deps.db, token, deps.clock.now());
}

/** The button of the emailed link: on the list from now, with the choices the form made. */
export async function confirmSubscription(deps: AppDeps, token: string): Promise<boolean> {
  const now = deps.clock.now();
  return deps.db.transaction(async (trx) => {
    const link = await consumeConfirmationToken(trx, token, now);
    if (!link) return false;
    await lockSubscriber(trx, link.subscriberId);
    await recordSubscription(
      trx,
      link.subscriberId,
      { ...link, method: 'form', requestedAt: link.requestedAt },
      now,
    );
    return true;
  });
}

/**
 * An unsubscribe link used: off the list at once. Whatever the token (unknown, or its subscriber
 * already gone), nothing else happens and the caller shows the same page.
 */
export async function unsubscribe(
  deps: AppDeps,
  token: string,
  method: WithdrawalMethod,
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    const subscriberId = await unsubscribeTokenHolder(trx, token);
    if (subscriberId === undefined) return;
    const subscriber = await lockSubscriber(trx, subscriberId);
    if (isSubscribed(subscriber)) await recordWithdrawal(trx, subscriberId, method, now);
  });
}

/** A signed-in person's own subscription, matched by their (confirmed) account email. */
export async function preferencesOf(deps: AppDeps, email: string) {
  const subscriber = await findSubscriberByEmail(deps.db, email);
  return isSubscribed(subscriber)
    ? { subscribed: true, language: subscriber.language, interests: subscriber.interests }
    : { subscribed: false };
}

/**
 * From the profile: the account's address is proven, so no link is needed; consent is recorded
 * with the wording shown and the method `profile`.
 */
export async function savePreferences(
  deps: AppDeps,
  email: string,
  choices: { language: Lang; interests: string[]; consentVersion: number },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    const subscriber = await subscriberRowFor(trx, email, choices.language, now);
    await lockSubscriber(trx, subscriber.id);
    await recordSubscription(trx, subscriber.id, { ...choices, method: 'profile' }, now);
  });
}

export async function leaveFromProfile(deps: AppDeps, email: string): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    const found = await findSubscriberByEmail(trx, email);
    const subscriber = found && (await lockSubscriber(trx, found.id));
    if (isSubscribed(subscriber)) await recordWithdrawal(trx, subscriber.id, 'profile', now);
  });
}

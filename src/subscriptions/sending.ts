import type { Clock } from '../platform/clock.ts';
import { isLang, languages } from '../platform/i18n.ts';
import type { SendCheck, SendChecks } from '../platform/mail/delivery.ts';
import { url } from '../platform/routes.ts';
import { findSubscriberByEmail, isSubscribed, issueUnsubscribeToken } from './repo.ts';

/**
 * What the outbox asks before it sends a mailing-list email: is the address still on the list
 * (an announcement queued for the opening waits days, and unsubscribing takes effect at once),
 * and the one-click unsubscribe link made for this email — in its body, and in the headers of
 * RFC 2369 and RFC 8058, whose POST needs no page and no CSRF token.
 */
export function mailingListChecks(deps: { clock: Clock; publicUrl: string }): SendChecks {
  const stillSubscribed: SendCheck = async (trx, email) => {
    const subscriber = await findSubscriberByEmail(trx, email.recipient);
    if (!isSubscribed(subscriber)) return { send: false, reason: 'not on the mailing list' };
    const token = await issueUnsubscribeToken(trx, subscriber.id, deps.clock.now());
    const links = Object.fromEntries(
      languages.map((lang) => [lang, `${deps.publicUrl}${url('unsubscribe', { token }, lang)}`]),
    );
    const first = isLang(email.language) ? email.language : subscriber.language;
    return {
      send: true,
      data: { unsubscribeLinks: links },
      headers: {
        'List-Unsubscribe': `<${links[first]}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    };
  };
  return { 'new-opportunity': stillSubscribed, 'subscription-already': stillSubscribed };
}

import type { Knex } from 'knex';
import { formatDeadline } from '../platform/dates.ts';
import type { Lang } from '../platform/i18n.ts';
import { enqueueEmail, type EmailTemplate } from '../platform/mail/outbox.ts';
import { url, type PageName, type UrlParams } from '../platform/routes.ts';

export interface Recipient {
  email: string;
  language: Lang | null;
}

export const both = <T>(make: (lang: Lang) => T): Record<Lang, T> => ({
  en: make('en'),
  fr: make('fr'),
});

export const linkTo = (page: PageName, params: UrlParams) =>
  both((lang) => url(page, params, lang));

export const deadlineIn = (at: Date) => both((lang) => formatDeadline(at, lang));

/** The supplier's address and language, unless they closed their account. */
export async function supplierOf(
  trx: Knex.Transaction,
  supplierId: number,
): Promise<Recipient | undefined> {
  return trx('users')
    .where({ id: supplierId })
    .whereNull('closed_at')
    .first('email', 'preferred_language as language');
}

/** The client who requested the opportunity, unless they closed their account. */
export async function requesterOf(
  trx: Knex.Transaction,
  opportunity: { requester_id: number | null },
): Promise<Recipient[]> {
  if (opportunity.requester_id === null) return [];
  return trx('users')
    .where({ id: opportunity.requester_id })
    .whereNull('closed_at')
    .select('email', 'preferred_language as language');
}

/** The requester and the program officers of the opportunity's department. */
export async function staffOf(
  trx: Knex.Transaction,
  opportunity: { requester_id: number | null; department_id: number },
): Promise<Recipient[]> {
  const officers: Recipient[] = await trx('role_grants as g')
    .join('users as u', 'u.id', 'g.user_id')
    .where({ 'g.role': 'program_officer', 'g.department_id': opportunity.department_id })
    .whereNull('g.revoked_at')
    .whereNull('u.closed_at')
    .distinct('u.email as email', 'u.preferred_language as language');
  const requester = await requesterOf(trx, opportunity);
  const seen = new Set<string>();
  return [...requester, ...officers].filter(
    (r) => !seen.has(r.email.toLowerCase()) && seen.add(r.email.toLowerCase()),
  );
}

export interface AboutOpportunity {
  id: number;
  reference: string;
  title_en: string;
  title_fr: string;
}

/**
 * One email about an opportunity, in the recipient's language first; `key` makes it unique for
 * the opportunity, so a retried job or a second call never sends it twice.
 */
export async function sendAbout(
  trx: Knex.Transaction,
  now: Date,
  email: {
    template: EmailTemplate;
    opportunity: AboutOpportunity;
    to: Recipient;
    key: string | number;
    data?: Record<string, unknown>;
  },
): Promise<void> {
  const o = email.opportunity;
  await enqueueEmail(
    trx,
    {
      idempotencyKey: `${email.template}:${o.id}:${email.key}:${email.to.email.toLowerCase()}`,
      template: email.template,
      to: email.to.email,
      language: email.to.language,
      data: {
        reference: o.reference,
        title: { en: o.title_en, fr: o.title_fr },
        opportunityLink: linkTo('opportunity', { ref: o.reference }),
        ...email.data,
      },
    },
    now,
  );
}

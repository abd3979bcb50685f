import type { Knex } from 'knex';
import type { Role } from '../platform/roles.ts';
import type { Lang } from '../platform/i18n.ts';
import { enqueueEmail, type EmailTemplate } from '../platform/mail/outbox.ts';
import { url, type PageName } from '../platform/routes.ts';

/** Who is told: the client who requested it, everyone holding a role in its department, or one person. */
type Recipient = 'requester' | { role: Role } | { email: string; language: Lang | null };

export interface Notice {
  template: EmailTemplate;
  opportunityId: number;
  to: readonly Recipient[];
  /** What makes this notice unique for the opportunity (e.g. the event id), for idempotency. */
  key: string | number;
  /**
   * The page the email links to: the request page by default, the public page for suppliers, or
   * paths of a page named by something else than the reference (the preview's token).
   */
  link?: PageName | Record<Lang, string>;
  /** Text a person wrote (a reason, comments), shown as typed in both language sections. */
  detail?: string;
  data?: Record<string, unknown>;
}

async function recipientsOf(
  trx: Knex.Transaction,
  opportunity: { requester_id: number | null; department_id: number },
  to: readonly Recipient[],
): Promise<{ email: string; language: Lang | null }[]> {
  const found: { email: string; language: Lang | null }[] = [];
  for (const recipient of to) {
    if (recipient === 'requester') {
      if (opportunity.requester_id === null) continue;
      found.push(
        ...(await trx('users')
          .where({ id: opportunity.requester_id })
          .whereNull('closed_at')
          .select('email', 'preferred_language as language')),
      );
    } else if ('role' in recipient) {
      found.push(
        ...(await trx('role_grants as g')
          .join('users as u', 'u.id', 'g.user_id')
          .where({ 'g.role': recipient.role, 'g.department_id': opportunity.department_id })
          .whereNull('g.revoked_at')
          .whereNull('u.closed_at')
          .distinct('u.email as email', 'u.preferred_language as language')),
      );
    } else {
      found.push(recipient);
    }
  }
  const seen = new Set<string>();
  return found.filter((r) => !seen.has(r.email.toLowerCase()) && seen.add(r.email.toLowerCase()));
}

/**
 * Queues a bilingual email about an opportunity to each recipient, in the caller's transaction
 * (after transition() returns, so the email exists only if the change does).
 */
export async function notify(trx: Knex.Transaction, now: Date, notice: Notice): Promise<void> {
  const opportunity = await trx('opportunities')
    .where({ id: notice.opportunityId })
    .first('reference', 'title_en', 'title_fr', 'requester_id', 'department_id', 'source_language');
  if (!opportunity) return;
  const page = notice.link ?? 'request';
  const link =
    typeof page === 'string'
      ? {
          en: url(page, { ref: opportunity.reference }, 'en'),
          fr: url(page, { ref: opportunity.reference }, 'fr'),
        }
      : page;
  const fallback =
    opportunity.source_language === 'fr' ? opportunity.title_fr : opportunity.title_en;
  const data = {
    reference: opportunity.reference,
    // A request may exist in one language only until it is translated.
    title: { en: opportunity.title_en || fallback, fr: opportunity.title_fr || fallback },
    link,
    detail: notice.detail ?? null,
    ...notice.data,
  };
  for (const recipient of await recipientsOf(trx, opportunity, notice.to)) {
    await enqueueEmail(
      trx,
      {
        idempotencyKey: `${notice.template}:${notice.opportunityId}:${notice.key}:${recipient.email.toLowerCase()}`,
        template: notice.template,
        to: recipient.email,
        language: recipient.language,
        data,
      },
      now,
    );
  }
}

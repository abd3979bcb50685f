import type { Knex } from 'knex';
import { notify } from '../lifecycle/notify.ts';
import { formatCalendarDate } from '../platform/dates.ts';
import type { Lang } from '../platform/i18n.ts';
import type { EmailTemplate } from '../platform/mail/outbox.ts';
import { url } from '../platform/routes.ts';
import type { ContractRow } from './machine.ts';

const contractLink = (id: number): Record<Lang, string> => ({
  en: url('contract', { id }, 'en'),
  fr: url('contract', { id }, 'fr'),
});

type Side = 'supplier' | 'department';

/** Calendar dates (`YYYY-MM-DD`) as each language's email writes them. */
export const datesIn = (dates: Record<string, string>): Record<Lang, Record<string, string>> => ({
  en: Object.fromEntries(Object.entries(dates).map(([k, d]) => [k, formatCalendarDate(d, 'en')])),
  fr: Object.fromEntries(Object.entries(dates).map(([k, d]) => [k, formatCalendarDate(d, 'fr')])),
});

/**
 * An email about the contract to one side: the supplier, or the client who requested the work
 * and the program officers of the department. It links to the contract page.
 */
export async function tellAboutContract(
  trx: Knex.Transaction,
  now: Date,
  notice: {
    template: EmailTemplate;
    contract: ContractRow;
    to: Side;
    key: string | number;
    detail?: string;
    values?: Record<Lang, Record<string, string>>;
  },
): Promise<void> {
  const { contract } = notice;
  const supplier =
    notice.to === 'supplier'
      ? await trx('users')
          .where({ id: contract.supplier_id })
          .whereNull('closed_at')
          .first('email', 'preferred_language as language')
      : undefined;
  if (notice.to === 'supplier' && !supplier) return;
  await notify(trx, now, {
    template: notice.template,
    opportunityId: contract.opportunity_id,
    to: supplier ? [supplier] : ['requester', { role: 'program_officer' }],
    key: `${contract.id}:${notice.key}`,
    link: contractLink(contract.id),
    detail: notice.detail,
    data: notice.values ? { values: notice.values } : undefined,
  });
}

import { fundsToRelease } from '../certification/funds-to-release.ts';
import { submittedInvoices } from '../certification/repo.ts';
import type { Db } from '../db/knex.ts';
import { problemReportDeadline } from '../delivery/rules.ts';
import { paymentsQueue } from '../payments/repo.ts';
import type { CurrentUser } from '../platform/auth.ts';
import { easternDate } from '../platform/dates.ts';
import { failedEmails } from '../platform/mail/failed-emails.ts';
import type { Role } from '../platform/roles.ts';
import type { PageName } from '../platform/routes.ts';
import {
  checkInsOf,
  deliveriesToReview,
  latestEventsOf,
  draftsOf,
  invoicesToSendOf,
  noQualifiedApplicant,
  offersAwaitingSupplier,
  offersOf,
  paymentsExpectedOf,
  workDueOf,
  type LineRow,
} from './repo.ts';
import { byUrgency, type Urgency } from './urgency.ts';

/** One line of a queue, ready to sort: what waits, the page to act on it, its urgency. */
interface QueueLine extends Urgency {
  reference: string;
  /** The opportunity's titles; null where the line names something else (a failed email). */
  titles: Pick<LineRow, 'title_en' | 'title_fr' | 'source_language'> | null;
  /** What the line is, where the title does not say it (an invoice number, an email's template). */
  detail: string;
  href: { page: PageName; params: Record<string, string> };
}

interface Queue {
  name: string;
  lines: QueueLine[];
}

const dueDay = (due: LineRow['due']): string | null =>
  due === null ? null : due instanceof Date ? easternDate(due) : due;

function linesOf(rows: readonly LineRow[], page: PageName, param: 'id' | 'ref'): QueueLine[] {
  return rows.map((r) => ({
    reference: r.reference,
    titles: r,
    detail: '',
    waitingSince: r.waiting_since,
    dueOn: dueDay(r.due),
    href: { page, params: { [param]: param === 'id' ? String(r.id) : r.reference } },
  }));
}

type Source = (db: Db, departmentIds: readonly number[], user: CurrentUser) => Promise<QueueLine[]>;

/** The queues of the later steps, each from its feature's own query, with its rule's due date. */
const sources: Record<string, Source> = {
  deliveriesToReview: async (db, ids, user) =>
    (await deliveriesToReview(db, ids, user.id)).map((r) => ({
      ...linesOf([r], 'contractReview', 'id')[0]!,
      dueOn: problemReportDeadline(r.waiting_since),
    })),
  offersAwaitingSupplier: async (db, ids) =>
    linesOf(await offersAwaitingSupplier(db, ids), 'request', 'ref'),
  noQualifiedApplicant: async (db, ids) =>
    linesOf(await noQualifiedApplicant(db, ids), 'request', 'ref'),
  invoicesToCertify: async (db, ids) =>
    (await submittedInvoices(db, ids)).map((r) => ({
      reference: r.reference,
      titles: r,
      detail: r.invoice_number,
      waitingSince: r.received_at,
      dueOn: r.payment_due_on,
      href: { page: 'certificationEvidence', params: { ref: r.reference } },
    })),
  // Whatever ended the opportunity (cancelled, no one qualified, terminated, completed): finance
  // releases what is left of the reservation, waiting since release was asked, or since the end.
  fundsToRelease: async (db, ids) => {
    const rows = await fundsToRelease(db, ids);
    const ended = await latestEventsOf(
      db,
      rows.map((r) => r.opportunity_id),
    );
    return rows.map((r) => ({
      reference: r.reference,
      titles: r,
      detail: r.reservation_number,
      waitingSince: r.release_requested_at ?? ended.get(Number(r.opportunity_id)) ?? new Date(0),
      dueOn: null,
      href: { page: 'fundsToRelease', params: {} },
    }));
  },
  paymentsToMake: async (db, ids) =>
    (await paymentsQueue(db, ids))
      .filter((r) => r.payment_status !== 'paid')
      .map((r) => ({
        reference: r.reference,
        titles: null,
        detail: r.invoice_number,
        waitingSince: r.certified_at ?? r.received_at,
        dueOn: r.payment_due_on,
        href: { page: 'invoicePayment', params: { invoice: String(r.invoice_id) } },
      })),
};

/** Which of these queues each role finds, beside the earlier steps' (src/review/service.ts). */
const queuesByRole: { role: Role; queues: string[] }[] = [
  { role: 'client', queues: ['deliveriesToReview'] },
  { role: 'program_officer', queues: ['offersAwaitingSupplier', 'noQualifiedApplicant'] },
  { role: 'section32_manager', queues: ['fundsToRelease'] },
  { role: 'section34_manager', queues: ['invoicesToCertify'] },
  { role: 'finance_officer', queues: ['paymentsToMake', 'fundsToRelease'] },
];

export interface RoleQueues {
  role: Role | 'supplier';
  queues: Queue[];
}

const sorted = (lines: QueueLine[], now: Date) => lines.sort(byUrgency(now));

/** One section per role the person holds, each across the departments where they hold it. */
export async function laterStepQueues(db: Db, user: CurrentUser, now: Date): Promise<RoleQueues[]> {
  const sections: RoleQueues[] = [];
  for (const { role, queues } of queuesByRole) {
    const ids = user.grants.flatMap((g) =>
      g.role === role && g.departmentId !== null ? [g.departmentId] : [],
    );
    if (ids.length === 0) continue;
    sections.push({
      role,
      queues: await Promise.all(
        queues.map(async (name) => ({
          name,
          lines: sorted(await sources[name]!(db, ids, user), now),
        })),
      ),
    });
  }
  if (user.grants.some((g) => g.role === 'platform_admin')) {
    const failed = await failedEmails(db);
    sections.push({
      role: 'platform_admin',
      queues: [
        {
          name: 'failedEmails',
          lines: sorted(
            failed.rows.map((r) => ({
              reference: `#${r.id}`,
              titles: null,
              detail: r.template,
              waitingSince: r.created_at,
              dueOn: null,
              href: { page: 'failedEmails', params: {} },
            })),
            now,
          ),
        },
      ],
    });
  }
  return sections;
}

/** What waits for the supplier: drafts, offers, work, check-ins, invoices, payments. */
export async function supplierQueues(db: Db, user: CurrentUser, now: Date): Promise<RoleQueues> {
  const [drafts, offers, work, checkIns, invoices, payments] = await Promise.all([
    draftsOf(db, user.id),
    offersOf(db, user.id),
    workDueOf(db, user.id),
    checkInsOf(db, user.id),
    invoicesToSendOf(db, user.id),
    paymentsExpectedOf(db, user.id),
  ]);
  const queues: Queue[] = [
    { name: 'drafts', lines: linesOf(drafts, 'application', 'id') },
    { name: 'offersToAccept', lines: linesOf(offers, 'offer', 'id') },
    { name: 'workDue', lines: linesOf(work, 'contract', 'id') },
    { name: 'checkIns', lines: linesOf(checkIns, 'contract', 'id') },
    { name: 'invoicesToSend', lines: linesOf(invoices, 'invoice', 'id') },
    { name: 'paymentsExpected', lines: linesOf(payments, 'supplierPayment', 'id') },
  ];
  return { role: 'supplier', queues: queues.map((q) => ({ ...q, lines: sorted(q.lines, now) })) };
}

import type { Lang } from '../../platform/i18n.ts';
import type { PaymentMethod } from '../../platform/payment-methods.ts';

/**
 * The shape of the demo content: plain data, texts in both languages, no code. The loader
 * (src/demo/loader.ts) turns each item into a history of real actions by the demo staff.
 */

export type DemoDepartment = 'ESDC' | 'TBS';

/** A paragraph, or a bullet list. */
export type Block = string | readonly string[];

export interface Section {
  heading: string;
  body: readonly Block[];
}

/** What the client writes (in their language) and the translator gives in the other. */
export interface DemoText {
  title: string;
  summary: string;
  description: readonly Section[];
  skills: readonly string[];
  mandatory: readonly string[];
  acceptance: readonly string[];
}

export interface Bilingual {
  en: string;
  fr: string;
}

/**
 * The last state the loader takes it to. After `closed`: `evaluating` (the requester has declared
 * and judged the first applicant, nothing locked), `drawn` (locked and drawn: the first in the
 * order has an offer awaiting their answer), `awarded` (that supplier accepted the terms) and
 * `no_qualified_applicant` (locked with nobody passing).
 */
type DemoEnd =
  | 'submitted'
  | 'screened'
  | 'funds_approved'
  | 'published'
  | 'closed'
  | 'cancelled'
  | 'evaluating'
  | 'drawn'
  | 'awarded'
  | 'no_qualified_applicant';

/**
 * A demo supplier's application, as they write it in their language: one answer for every
 * mandatory criterion (the same text for each when only one is given), with a link to their
 * work. A draft is saved and never submitted; on a closed one, `passes` is how the evaluator
 * judges it (a failing one fails its first criterion).
 */
export interface DemoApplication {
  supplier: string;
  answers: readonly string[];
  link: string;
  submitted: boolean;
  passes?: boolean;
}

/**
 * A contract after the award, taken through the delivery, review, invoice, section 34 and card
 * payment services up to `reaches`: `delivered` (awaiting the client's acceptance), `accepted`,
 * `invoiced` (awaiting section 34), `certified` (awaiting payment by the opportunity's payment
 * method), `paid` (by card, awaiting the supplier's confirmation) or `completed`. The supplier
 * delivers a pull request on the repository `deliversAfterDays` after accepting the terms, with
 * these notes in their language; with `revisions`, a first round is sent back with this comment
 * on the last work acceptance criterion, in the client's language, and delivered again.
 */
export interface DemoContract {
  reaches: 'delivered' | 'accepted' | 'invoiced' | 'certified' | 'paid' | 'completed';
  deliversAfterDays: number;
  notes: string;
  revisions?: { comment: string; reason: string };
}

/**
 * When it happened. Published ones: days from today (Eastern) so the demo always looks current,
 * or calendar dates for history. Requests still in a queue: started some days ago, one step a day.
 */
type Timing =
  | { opensInDays: number; closesInDays: number; deliveryWeeks: number }
  | { opensOn: string; closesOn: string; deliveryDueOn: string }
  | { startedDaysAgo: number };

export interface DemoOpportunity {
  department: DemoDepartment;
  reaches: DemoEnd;
  timing: Timing;
  /** The language the client writes the request in; the other comes from translation. */
  sourceLanguage: 'en' | 'fr';
  repositoryUrl: string;
  licence: string;
  priceCents: number;
  /** One of the department's cost centres; related purchases on one must stay under the cap. */
  costCentre: string;
  paymentMethod: PaymentMethod;
  /** Whole days spent in draft, submitted, screened, funds approved and translated. */
  preparationDays?: readonly number[];
  /** A deadline extension, posted some days after opening; closing dates are the extended ones. */
  addendum?: { daysAfterOpening: number; extensionDays: number; reason: Bilingual };
  /**
   * Cancelled by the program team halfway to the deadline, with this reason: free text in the
   * one language the officer wrote it in, which the other language's pages mark (WCAG 3.1.2).
   */
  cancellation?: { reason: string; lang: Lang };
  /**
   * Awarded, then terminated for non-delivery by the requester this many days after the due
   * date, with this reason (in the one language it was written in), and ended: not offered to
   * the next applicant, not re-posted.
   */
  termination?: { daysAfterDue: number; reason: string; lang: Lang };
  /** Awarded, then how far its contract goes after the award (the timeline dates each step). */
  contract?: DemoContract;
  /** The demo suppliers' applications, in the order they applied. */
  applications?: readonly DemoApplication[];
  en: DemoText;
  fr: DemoText;
}

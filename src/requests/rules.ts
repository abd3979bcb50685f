import { withinCap } from '../platform/money.ts';
import { isCardPayment } from '../platform/payment-methods.ts';
import { isOsiLicence } from './licences.ts';

/**
 * The guardrails of a micro-acquisition request (DOMAIN.md, "The rules"), as one pure function:
 * the review page lists every problem, and the lifecycle guard refuses a transition on the
 * first, at submission and again at screening, section 32 and publishing.
 */
export interface RequestFacts {
  sourceLanguage: 'en' | 'fr';
  title: string;
  summary: string;
  description: string;
  repositoryUrl: string;
  licence: string;
  priceCents: number | null;
  deliveryDueOn: string | null;
  /** The closing date (Eastern, yyyy-mm-dd): the real one once published, else the planned one. */
  closingOn: string;
  costCentre: string | null;
  fund: string | null;
  glAccount: string | null;
  paymentMethod: string | null;
  mandatoryCriteria: number;
  acceptanceCriteria: number;
}

export interface DepartmentRules {
  costCentres: readonly string[];
  paymentMethods: readonly string[];
  cardExemptionReference: string | null;
}

/** A broken rule: a locale key under `requests.rules` and the step of the form that fixes it. */
export interface RuleProblem {
  code: string;
  step: number;
}

/**
 * An https address on GitHub or GitLab written plainly: the splitting check compares the
 * repository the database reads from it (canonical_repository(), migration 20261202000600),
 * which must be the one a browser opens. An address a browser rewrites first (`https:github.com`,
 * `\`, a `/../` or `%2e` segment, white space, another port) is refused.
 */
const PLAIN_ADDRESS = /^https:\/\/(?:github|gitlab)\.com(?::443)?(\/[^\s#?\\]*)(?:[#?].*)?$/i;
/** An owner or a repository name, as GitHub and GitLab allow them. */
const NAME = /^[\w.-]+$/;

/** A public repository on GitHub or GitLab, addressed by https (owner/name at least). */
export function isPublicRepositoryUrl(value: string): boolean {
  const plain = PLAIN_ADDRESS.exec(value);
  if (!plain) return false;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return false;
  }
  const [owner, name] = parsed.pathname.split('/').filter(Boolean);
  return (
    parsed.pathname === plain[1] &&
    owner !== undefined &&
    name !== undefined &&
    NAME.test(owner) &&
    NAME.test(name) &&
    // `.git` alone names nothing once the database drops the suffix.
    !/^(?:\.git)+$/i.test(name)
  );
}

export function requestProblems(r: RequestFacts, department: DepartmentRules): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const add = (code: string, step: number) => problems.push({ code, step });
  if (!r.title.trim()) add('title', 1);
  if (!r.summary.trim()) add('summary', 1);
  if (!r.description.trim()) add('description', 1);
  if (!isPublicRepositoryUrl(r.repositoryUrl)) add('repository', 2);
  if (!isOsiLicence(r.licence)) add('licence', 2);
  if (r.mandatoryCriteria < 1) add('mandatory_criteria', 3);
  if (r.acceptanceCriteria < 1) add('acceptance_criteria', 3);
  if (r.priceCents === null || r.priceCents <= 0) add('price', 4);
  else if (!withinCap(r.priceCents)) add('over_cap', 4);
  if (!r.deliveryDueOn) add('delivery_due', 4);
  else if (r.deliveryDueOn <= r.closingOn) add('due_before_closing', 4);
  if (!r.costCentre || !department.costCentres.includes(r.costCentre)) add('cost_centre', 5);
  if (!r.fund?.trim()) add('fund', 5);
  if (!r.glAccount?.trim()) add('gl_account', 5);
  if (!r.paymentMethod || !department.paymentMethods.includes(r.paymentMethod))
    add('payment_method', 5);
  else if (isCardPayment(r.paymentMethod) && !department.cardExemptionReference?.trim())
    add('card_exemption', 5);
  return problems;
}

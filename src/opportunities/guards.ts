import type { Guard as LifecycleGuard, TransitionDef } from '../lifecycle/machine.ts';
import { hasRole, type CurrentUser } from '../platform/auth.ts';
import { CAP_CENTS } from '../platform/money.ts';
import { problemsOf } from '../requests/facts.ts';
import { checkSplitting, lockSplittingCheck } from '../requests/splitting.ts';
import type { OpportunityRow } from './row.ts';
// machine.ts still takes the row's type from here; import it from row.ts elsewhere.

/** A rule checked before a step of the opportunity's lifecycle; failures are locale keys. */
type Guard = LifecycleGuard<OpportunityRow>;
type Who = NonNullable<TransitionDef<OpportunityRow, string>['who']>;

export const overCap: Guard = ({ record: opportunity }) =>
  (opportunity.max_total_cents ?? 0) > CAP_CENTS ? { code: 'over_cap' } : undefined;

/** Every guardrail of a request (src/requests/rules.ts), again at each step after submission. */
export const meetsRequestRules: Guard = async ({ trx, record: opportunity, now }) => {
  const [first] = await problemsOf(trx, opportunity, now);
  return first ? { code: 'request_rule', values: { rule: first.code } } : undefined;
};

/**
 * Related purchases past the cap: submission needs a written justification (≥ 20 characters).
 * The check runs here, under the department's lock, whoever calls transition('submit').
 */
export const MIN_JUSTIFICATION = 20;
export const splittingJustified: Guard = async ({ trx, record: opportunity, now }) => {
  await lockSplittingCheck(trx, opportunity.department_id);
  const { exceedsCap } = await checkSplitting(trx, opportunity, now);
  return exceedsCap && (opportunity.splitting_justification ?? '').trim().length < MIN_JUSTIFICATION
    ? { code: 'splitting_justification' }
    : undefined;
};

/** Related purchases past the cap whose justification nobody has approved yet. */
export const needsSplittingApproval = (opportunity: OpportunityRow): boolean =>
  Boolean(opportunity.splitting_related?.exceedsCap) && !opportunity.splitting_approved_by;

/** ... which a second person (never the requester) approves before the request goes on. */
export const splittingApproved: Guard = ({ record: opportunity }) =>
  needsSplittingApproval(opportunity) ? { code: 'splitting_not_approved' } : undefined;

const notRequester = (opportunity: OpportunityRow, actor: CurrentUser | null) =>
  opportunity.requester_id !== null && actor?.id !== opportunity.requester_id;

/** The client who requested the opportunity submits it and approves its preview, not a colleague. */
export const byRequester: Who = (opportunity, actor) =>
  notRequester(opportunity, actor) ? { code: 'not_requester' } : undefined;

/** A client cancels only their own request; the program team cancels any of the department's. */
export const ownRequestUnlessProgramTeam: Who = (opportunity, actor) =>
  notRequester(opportunity, actor) &&
  !hasRole(actor ?? undefined, ['program_officer'], opportunity.department_id)
    ? { code: 'not_requester' }
    : undefined;

/** FAA s.32: nothing is published without a fund reservation (the database checks it too). */
export const fundsReserved: Guard = async ({ trx, record: opportunity }) =>
  (await trx('fund_reservations')
    .where({ opportunity_id: opportunity.id })
    .whereNull('released_at')
    .first('id'))
    ? undefined
    : { code: 'no_fund_reservation' };

/** The highest section 32 delegated limit this person holds in the department, if any. */
export function delegatedLimitOf(
  user: CurrentUser | null | undefined,
  departmentId: number,
): number | null {
  const limits = (user?.grants ?? [])
    .filter((g) => g.role === 'section32_manager' && g.departmentId === departmentId)
    .map((g) => g.limitCents ?? 0);
  return limits.length ? Math.max(...limits) : null;
}

/** The section 32 manager's delegated limit covers the amount including tax. */
export const overDelegatedLimit: Guard = ({ record: opportunity, actor }) =>
  (opportunity.max_total_cents ?? 0) > (delegatedLimitOf(actor, opportunity.department_id) ?? 0)
    ? { code: 'over_delegated_limit' }
    : undefined;

const bilingualColumns = ['title', 'summary', 'description'];

/** Every client-written text exists in both languages: nothing can be published otherwise. */
export const bilingualGaps: Guard = async ({ trx, record: opportunity }) => {
  const missing = bilingualColumns.filter((name) =>
    ['en', 'fr'].some((lang) => String(opportunity[`${name}_${lang}`] ?? '').trim() === ''),
  );
  const skills = ['skills_en', 'skills_fr'].map(
    (c) => (opportunity[c] as string[] | undefined) ?? [],
  );
  if (skills[0]?.length !== skills[1]?.length) missing.push('skills');
  for (const table of ['mandatory_criteria', 'acceptance_criteria']) {
    const gaps = await trx(table)
      .where({ opportunity_id: opportunity.id })
      .andWhere((q) => q.whereRaw(`trim(text_en) = ''`).orWhereRaw(`trim(text_fr) = ''`))
      .count<{ n: number }>({ n: '*' })
      .first();
    if (Number(gaps?.n ?? 0) > 0) missing.push(table);
  }
  return missing.length
    ? { code: 'not_bilingual', values: { fields: missing.join(', ') } }
    : undefined;
};

/**
 * After a contract was terminated for non-delivery, and only while no other contract is live:
 * the opportunity goes back to the draw order (the next passer is offered it) or ends. The
 * database holds the first half too (migration 20261203000200).
 */
export const afterTermination: Guard = async ({ trx, record: opportunity }) => {
  const contracts: { status: string }[] = await trx('contracts')
    .where({ opportunity_id: opportunity.id })
    .select('status');
  const terminated = contracts.some((c) => c.status === 'terminated');
  const live = contracts.some((c) =>
    ['offered', 'in_progress', 'delivered', 'accepted'].includes(c.status),
  );
  return terminated && !live ? undefined : { code: 'no_termination' };
};

import type { Knex } from 'knex';
import type { CurrentUser } from '../platform/auth.ts';
import { CAP_CENTS } from '../platform/money.ts';

export interface OpportunityRow {
  id: number;
  department_id: number;
  status: string;
  version: number;
  price_cents: number;
  max_total_cents: number;
  [column: string]: unknown;
}

export interface GuardContext {
  trx: Knex.Transaction;
  opportunity: OpportunityRow;
  actor: CurrentUser | null;
}

/** A rule that failed, as a locale key under `lifecycle.guards` and its values. */
export interface GuardFailure {
  code: string;
  values?: Record<string, string | number>;
}

export type Guard = (
  ctx: GuardContext,
) => Promise<GuardFailure | undefined> | GuardFailure | undefined;

export const overCap: Guard = ({ opportunity }) =>
  opportunity.max_total_cents > CAP_CENTS ? { code: 'over_cap' } : undefined;

/** The section 32 manager's delegated limit covers the amount including tax. */
export const overDelegatedLimit: Guard = ({ opportunity, actor }) => {
  const limits = (actor?.grants ?? [])
    .filter((g) => g.role === 'section32_manager' && g.departmentId === opportunity.department_id)
    .map((g) => g.limitCents ?? 0);
  const limit = Math.max(0, ...limits);
  return opportunity.max_total_cents > limit ? { code: 'over_delegated_limit' } : undefined;
};

const bilingualColumns = ['title', 'summary', 'description'];

/** Every client-written text exists in both languages: nothing can be published otherwise. */
export const bilingualGaps: Guard = async ({ trx, opportunity }) => {
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

import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import { defaultClosingInstant } from '../platform/business-days.ts';
import { easternDate, easternInstant } from '../platform/dates.ts';
import type { RequestRow } from '../opportunities/row.ts';
import { departmentFinancesOf } from './repo.ts';
import { requestProblems, type RequestFacts, type RuleProblem } from './rules.ts';

type Conn = Db | Knex.Transaction;

/**
 * The closing date the due date must follow: the real deadline once published, else the one the
 * client prefers, else the default (10 business days after the preferred or today's opening).
 */
export function plannedClosingOn(r: RequestRow, now: Date): string {
  if (r.closes_at) return easternDate(new Date(r.closes_at));
  if (r.preferred_closes_on) return r.preferred_closes_on;
  const opens =
    r.preferred_opens_on && easternInstant(r.preferred_opens_on, 9) > now
      ? easternInstant(r.preferred_opens_on, 9)
      : now;
  return easternDate(defaultClosingInstant(opens));
}

async function requestFacts(trx: Conn, r: RequestRow, now: Date): Promise<RequestFacts> {
  const count = async (table: string) =>
    Number(
      (
        await trx(table)
          .where({ opportunity_id: r.id })
          .whereRaw(`trim(text_${r.source_language}) <> ''`)
          .count<{ n: string }>({ n: '*' })
          .first()
      )?.n ?? 0,
    );
  const text = (name: string) => String(r[`${name}_${r.source_language}`] ?? '');
  return {
    sourceLanguage: r.source_language,
    title: text('title'),
    summary: text('summary'),
    description: text('description'),
    repositoryUrl: r.repository_url,
    licence: r.licence,
    priceCents: r.price_cents,
    deliveryDueOn: r.delivery_due_on,
    closingOn: plannedClosingOn(r, now),
    costCentre: r.cost_centre,
    fund: r.fund,
    glAccount: r.gl_account,
    paymentMethod: r.payment_method,
    mandatoryCriteria: await count('mandatory_criteria'),
    acceptanceCriteria: await count('acceptance_criteria'),
  };
}

/** Every guardrail the request breaks now, in the order of the form's steps. */
export async function problemsOf(trx: Conn, r: RequestRow, now: Date): Promise<RuleProblem[]> {
  const department = await departmentFinancesOf(trx, r.department_id);
  return requestProblems(await requestFacts(trx, r, now), {
    costCentres: department.cost_centres,
    paymentMethods: department.payment_methods,
    cardExemptionReference: department.card_exemption_reference,
  });
}

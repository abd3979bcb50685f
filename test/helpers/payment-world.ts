import type { Db } from '../../src/db/knex.ts';
import type { Lang } from '../../src/platform/i18n.ts';
import { url } from '../../src/platform/routes.ts';
import type { TestApp } from './app.ts';
import { insertDepartment } from './fixtures.ts';
import { insertPerson, signIn } from './people.ts';

/**
 * The department's payers before any file exists: a finance officer (cardholder of two cards,
 * limits $5,000 and $10,000), and a section 34 manager who is also a finance officer — the
 * scenario builders take the first section 34 manager, so they certify, and may then try to pay.
 */
export const PAYER_PASSWORD = 'payment world passphrase';

export interface Payers {
  departmentId: number;
  financeId: number;
  certifierId: number;
  lowLimitCard: { id: number; last4: string };
  card: { id: number; last4: string };
}

export async function aPayingDepartment(t: TestApp): Promise<Payers> {
  const { db } = t.deps;
  const departmentId = await insertDepartment(db);
  const confirmedAt = t.clock.now();
  const financeId = await insertPerson(db, {
    email: 'finance@esdc.example.ca',
    password: PAYER_PASSWORD,
    name: 'Fatima Finance',
    confirmedAt,
    grants: [{ role: 'finance_officer', department: departmentId }],
  });
  const certifierId = await insertPerson(db, {
    email: 'certifier@esdc.example.ca',
    password: PAYER_PASSWORD,
    name: 'Cyril Certifier',
    confirmedAt,
    grants: [
      { role: 'section34_manager', department: departmentId },
      { role: 'finance_officer', department: departmentId },
    ],
  });
  const card = async (last4: string, limitCents: number) => {
    const [row] = await db('acquisition_cards')
      .insert({
        department_id: departmentId,
        cardholder_id: financeId,
        last4,
        per_transaction_limit_cents: limitCents,
      })
      .returning('id');
    return { id: Number(row.id), last4 };
  };
  return {
    departmentId,
    financeId,
    certifierId,
    lowLimitCard: await card('4242', 500_000),
    card: await card('1881', 1_000_000),
  };
}

/** Another finance officer of the department, signed in. */
export async function anotherFinanceOfficer(t: TestApp, departmentId: number, n: number) {
  const email = `finance${n}@esdc.example.ca`;
  await insertPerson(t.deps.db, {
    email,
    password: PAYER_PASSWORD,
    confirmedAt: t.clock.now(),
    grants: [{ role: 'finance_officer', department: departmentId }],
  });
  return signIn(t.app, email, PAYER_PASSWORD);
}

/** The card form as finance fills it in, for the invoice's total. */
export async function cardForm(
  db: Db,
  invoiceId: number,
  card: { id: number; last4: string },
  overrides: Record<string, string> = {},
): Promise<Record<string, string>> {
  const { amount_cents: total } = await db('invoices')
    .where({ id: invoiceId })
    .first('amount_cents');
  return {
    method: 'card_direct',
    card: String(card.id),
    last4: card.last4,
    authorizationCode: 'AUTH-0042',
    paidOn: '2026-11-23',
    amount: (Number(total) / 100).toFixed(2),
    ...overrides,
  };
}

export const payPage = (invoiceId: number, lang: Lang = 'en') =>
  url('invoicePayment', { invoice: invoiceId }, lang);
export const payAction = (invoiceId: number, lang: Lang = 'en') =>
  url('payByCard', { invoice: invoiceId }, lang);

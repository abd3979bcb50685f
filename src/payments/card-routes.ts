import type { Request } from 'express';
import { departmentSlug } from '../admin/repo.ts';
import { hasRole } from '../platform/auth.ts';
import type { AppDeps } from '../platform/deps.ts';
import { easternDate, formatCalendarDate, formatDate } from '../platform/dates.ts';
import { HttpError } from '../platform/errors.ts';
import { fieldErrors, keepValues, parseForm, positiveWholeNumber } from '../platform/forms.ts';
import { formatMoney } from '../platform/money.ts';
import type { PageContext, RouteDef } from '../platform/router.ts';
import {
  addCard,
  cardsOfDepartment,
  findCard,
  possibleCardholders,
  type AcquisitionCard,
} from './repo.ts';
import { cardForm, matchForm, statementMonth } from './schemas.ts';
import {
  certificationReference,
  markMatched,
  shiftMonth,
  statementCsv,
  statementLines,
} from './statement.ts';

const cardsView = 'payments/cards.njk';
const statementView = 'payments/statement.njk';
const cardManagers = ['department_admin', 'finance_officer'] as const;

/**
 * The department's acquisition cards (added by its administrator or a finance officer), and each
 * card's payments by month for the statement reconciliation, as a page and as CSV.
 */
export function cardRoutes(deps: AppDeps): RouteDef[] {
  const thisMonth = () => easternDate(deps.clock.now()).slice(0, 7);

  async function cardsData(page: PageContext, departmentId: number) {
    const { lang } = page;
    const month = thisMonth();
    const cards = await cardsOfDepartment(deps.db, departmentId);
    const holders = await possibleCardholders(deps.db, departmentId);
    // A department administrator manages the cards but neither pays nor reconciles them.
    const paysByCard = hasRole(page.user, ['finance_officer'], departmentId);
    return {
      paysByCard,
      cards: cards.map((c) => ({
        holder: c.cardholder_name,
        last4: c.last4,
        limit: formatMoney(Number(c.per_transaction_limit_cents), lang),
        statementHref: page.url('cardStatement', { card: c.id, month }),
        month,
      })),
      holders: holders.map((h) => ({ value: String(h.id), label: h.display_name })),
      dept: departmentSlug(
        await deps.db('departments').where({ id: departmentId }).first('acronym_en'),
      ),
      values: {},
    };
  }

  /** The card and month the URL names, to a finance officer of the card's department only. */
  async function statementOf(req: Request, page: PageContext) {
    const id = positiveWholeNumber(req.params.card);
    const month = statementMonth.safeParse(req.params.month);
    const card = id ? await findCard(deps.db, id) : undefined;
    if (!card || !month.success) throw new HttpError(404);
    if (!hasRole(page.user, ['finance_officer'], Number(card.department_id))) {
      throw new HttpError(404);
    }
    return { card, month: month.data };
  }

  async function statementData(page: PageContext, card: AcquisitionCard, month: string) {
    const { lang } = page;
    const lines = await statementLines(deps.db, card.id, month);
    const monthName = new Intl.DateTimeFormat(lang === 'fr' ? 'fr-CA' : 'en-CA', {
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(`${month}-01T00:00:00Z`));
    return {
      card: { id: card.id, last4: card.last4, holder: card.cardholder_name },
      month,
      monthName,
      csvHref: page.url('cardStatementCsv', { card: card.id, month }),
      previousHref: page.url('cardStatement', { card: card.id, month: shiftMonth(month, -1) }),
      nextHref: page.url('cardStatement', { card: card.id, month: shiftMonth(month, 1) }),
      lines: lines.map((l) => ({
        paymentId: l.payment_id,
        date: formatCalendarDate(l.paid_on, lang),
        amount: formatMoney(Number(l.amount_cents), lang),
        last4: l.card_last4,
        authorization: l.card_authorization_code,
        merchant: l.merchant,
        invoiceNumber: l.invoice_number,
        section32: l.reservation_number,
        section34: certificationReference(Number(l.certification_id)),
        matched: l.statement_matched_at
          ? page.t('payments.statement.matchedBy', {
              name: l.matched_by_name,
              on: formatDate(l.statement_matched_at, lang),
            })
          : null,
      })),
    };
  }

  return [
    {
      page: 'acquisitionCards',
      method: 'get',
      access: { roles: cardManagers, department: 'param' },
      async handle(req, _res, page) {
        const done = req.query.done;
        page.render(cardsView, {
          ...(await cardsData(page, page.departmentId!)),
          done: done === 'added' || done === 'exists' ? done : null,
        });
      },
    },
    {
      page: 'acquisitionCards',
      method: 'post',
      limit: { name: 'add-acquisition-card', limit: 30, windowMs: 15 * 60 * 1000 },
      access: { roles: cardManagers, department: 'param' },
      async handle(req, res, page) {
        const departmentId = page.departmentId!;
        const data = await cardsData(page, departmentId);
        // Every problem at once: the form's own, and a cardholder who is not one of the choices.
        const parsed = cardForm.safeParse(req.body ?? {});
        const errors = parsed.success ? [] : fieldErrors(parsed.error, page.t);
        const holder = String((req.body as Record<string, unknown> | undefined)?.cardholder ?? '');
        if (!data.holders.some((h) => h.value === holder) && errors[0]?.field !== 'cardholder') {
          errors.unshift({ field: 'cardholder', message: page.t('payments.errors.cardholder') });
        }
        if (!parsed.success || errors.length > 0) {
          return page.render(cardsView, { ...data, values: keepValues(req.body), errors }, 400);
        }
        const form = parsed.data;
        const done = await addCard(deps.db, {
          departmentId,
          cardholderId: form.cardholder,
          last4: form.last4,
          limitCents: form.limit,
          now: deps.clock.now(),
        });
        res.redirect(303, `${page.url('acquisitionCards', { dept: data.dept })}?done=${done}`);
      },
    },
    {
      page: 'cardStatementCsv',
      method: 'get',
      access: { roles: ['finance_officer'] },
      async handle(req, res, page) {
        const { card, month } = await statementOf(req, page);
        const csv = statementCsv(await statementLines(deps.db, card.id, month));
        res
          .status(200)
          .type('text/csv; charset=utf-8')
          .set('Cache-Control', 'no-store')
          .attachment(`card-${card.last4}-${month}.csv`)
          .send(csv);
      },
    },
    {
      page: 'cardStatement',
      method: 'get',
      access: { roles: ['finance_officer'] },
      async handle(req, _res, page) {
        const { card, month } = await statementOf(req, page);
        page.render(statementView, await statementData(page, card, month));
      },
    },
    {
      page: 'matchStatementLine',
      shows: 'cardStatement',
      method: 'post',
      limit: { name: 'match-statement-line', limit: 300, windowMs: 15 * 60 * 1000 },
      access: { roles: ['finance_officer'] },
      async handle(req, res, page) {
        const { card, month } = await statementOf(req, page);
        const data = await statementData(page, card, month);
        const form = parseForm(matchForm, req, page, statementView, data);
        if (!form) return;
        const marked = await markMatched(deps.db, {
          cardId: card.id,
          paymentId: form.payment,
          matched: form.matched === 'yes',
          by: page.user!.id,
          now: deps.clock.now(),
        });
        if (!marked) {
          const errors = [{ field: 'form', message: page.t('payments.errors.statementLine') }];
          return page.render(statementView, { ...data, errors }, 400);
        }
        res.redirect(
          303,
          `${page.url('cardStatement', { card: card.id, month })}#line-${form.payment}`,
        );
      },
    },
  ];
}

import type { Request } from 'express';
import { departmentSlug } from '../admin/repo.ts';
import { transitionMessages } from '../lifecycle/messages.ts';
import { TransitionError } from '../lifecycle/transition.ts';
import { departmentsOf, hasRole } from '../platform/auth.ts';
import type { AppDeps } from '../platform/deps.ts';
import { easternDate, formatCalendarDate, formatDate } from '../platform/dates.ts';
import { HttpError } from '../platform/errors.ts';
import { keepValues, parseForm, positiveWholeNumber } from '../platform/forms.ts';
import { formatMoney } from '../platform/money.ts';
import type { PageContext, RouteDef } from '../platform/router.ts';
import { CardPaymentRefused, isUniqueViolation, payByCard, type CardRefusal } from './card.ts';
import { dayOfPaymentClock, isOverdue } from './clock.ts';
import {
  cardsOfDepartment,
  findPayableInvoice,
  paymentOfInvoice,
  paymentsQueue,
  type PayableInvoice,
} from './repo.ts';
import { cardPaymentForm } from './schemas.ts';

const payView = 'payments/pay.njk';
const cardMethods = ['card_direct', 'card_paypal_checkout'] as const;

/** Finance's pages: the queue of what awaits payment, and one invoice's payment page. */
export function paymentRoutes(deps: AppDeps): RouteDef[] {
  const financeDepartments = (page: PageContext) =>
    departmentsOf(page.user).filter((d) => hasRole(page.user, ['finance_officer'], d));

  /** The invoice, to a finance officer of its department only: anyone else gets a 404. */
  async function invoiceOf(req: Request, page: PageContext): Promise<PayableInvoice> {
    const id = positiveWholeNumber(req.params.invoice);
    const invoice = id ? await findPayableInvoice(deps.db, id) : undefined;
    if (!invoice || !hasRole(page.user, ['finance_officer'], Number(invoice.department_id))) {
      throw new HttpError(404);
    }
    return invoice;
  }

  async function pageData(invoice: PayableInvoice, page: PageContext) {
    const { lang } = page;
    const now = deps.clock.now();
    const payment = await paymentOfInvoice(deps.db, invoice.id);
    const cards = (await cardsOfDepartment(deps.db, invoice.department_id)).filter((c) => c.active);
    const methods = cardMethods.filter((m) => invoice.payment_methods.includes(m));
    const live = payment && payment.status !== 'failed' && payment.status !== 'cancelled';
    return {
      invoice: {
        id: invoice.id,
        number: invoice.invoice_number,
        status: invoice.status,
        reference: invoice.reference,
        title: lang === 'fr' ? invoice.title_fr : invoice.title_en,
        supplier: invoice.supplier_legal_name,
        amount: formatMoney(Number(invoice.amount_cents), lang),
        reservation: invoice.reservation_number,
        receivedOn: formatDate(invoice.received_at, lang),
        dueOn: formatCalendarDate(invoice.payment_due_on, lang),
        day: dayOfPaymentClock(invoice.payment_due_on, now),
        overdue: isOverdue(invoice.payment_due_on, now),
        certifier: invoice.certifier_name,
        certifiedOn: invoice.certified_at ? formatDate(invoice.certified_at, lang) : null,
      },
      payment: payment && {
        status: payment.status,
        method: payment.method,
        paidOn: payment.paid_on ? formatCalendarDate(payment.paid_on, lang) : null,
        last4: payment.card_last4,
        authorizationCode: payment.card_authorization_code,
      },
      exemption: invoice.card_exemption_reference,
      // Section 33 by PayPal payout has its own page (src/payments/paypal/).
      paypalHref: invoice.payment_methods.includes('paypal_payout')
        ? page.url('paypalPayout', { invoice: invoice.id })
        : undefined,
      methods: methods.map((m) => ({ value: m, label: page.t(`payments.methods.${m}`) })),
      cards: cards.map((c) => ({
        value: String(c.id),
        label: page.t('payments.pay.cardLabel', {
          holder: c.cardholder_name,
          last4: c.last4,
          limit: formatMoney(Number(c.per_transaction_limit_cents), lang),
        }),
      })),
      cardsHref: page.url('acquisitionCards', { dept: await slugOf(invoice.department_id) }),
      canPayByCard:
        invoice.status === 'certified' && !live && methods.length > 0 && cards.length > 0,
      values: {
        method: methods.length === 1 ? methods[0] : '',
        card: cards.length === 1 ? String(cards[0]!.id) : '',
        amount: formatMoney(Number(invoice.amount_cents), lang),
        paidOn: easternDate(now),
      },
    };
  }

  async function slugOf(departmentId: number): Promise<string> {
    return departmentSlug(
      await deps.db('departments').where({ id: departmentId }).first('acronym_en'),
    );
  }

  function refusalMessage(refusal: CardRefusal, page: PageContext): string {
    const values =
      'values' in refusal
        ? Object.fromEntries(
            Object.entries(refusal.values).map(([k, v]) => [
              k.replace(/Cents$/, ''),
              formatMoney(v, page.lang),
            ]),
          )
        : {};
    return page.t(`payments.refusals.${refusal.code}`, values);
  }

  return [
    {
      page: 'paymentsQueue',
      method: 'get',
      access: { roles: ['finance_officer'] },
      async handle(_req, _res, page) {
        const { lang } = page;
        const now = deps.clock.now();
        const lines = await paymentsQueue(deps.db, financeDepartments(page));
        const line = (l: (typeof lines)[number]) => ({
          href: page.url(l.method === 'paypal_payout' ? 'paypalPayout' : 'invoicePayment', {
            invoice: l.invoice_id,
          }),
          number: l.invoice_number,
          reference: l.reference,
          supplier: l.supplier_legal_name,
          amount: formatMoney(Number(l.amount_cents), lang),
          day: dayOfPaymentClock(l.payment_due_on, now),
          dueOn: formatCalendarDate(l.payment_due_on, lang),
          overdue: isOverdue(l.payment_due_on, now),
          method: l.method,
          paidOn: l.paid_on ? formatCalendarDate(l.paid_on, lang) : null,
        });
        const departments = await deps
          .db('departments')
          .whereIn('id', financeDepartments(page))
          .orderBy('acronym_en')
          .select('acronym_en', `acronym_${lang}`);
        page.render('payments/queue.njk', {
          cardPages: departments.map((d: { acronym_en: string } & Record<string, string>) => ({
            href: page.url('acquisitionCards', { dept: departmentSlug(d) }),
            department: d[`acronym_${lang}`],
          })),
          awaiting: lines.filter((l) => l.payment_status === null).map(line),
          sent: lines
            .filter((l) => l.payment_status === 'pending' || l.payment_status === 'sent')
            .map(line),
          paid: lines.filter((l) => l.payment_status === 'paid').map(line),
        });
      },
    },
    {
      page: 'invoicePayment',
      method: 'get',
      access: { roles: ['finance_officer'] },
      async handle(req, _res, page) {
        const invoice = await invoiceOf(req, page);
        page.render(payView, {
          ...(await pageData(invoice, page)),
          done: req.query.done === 'paid',
        });
      },
    },
    {
      page: 'payByCard',
      shows: 'invoicePayment',
      method: 'post',
      // Each payment emails the supplier; a person pays a few invoices at a time.
      limit: { name: 'pay-by-card', limit: 30, windowMs: 15 * 60 * 1000 },
      access: { roles: ['finance_officer'] },
      async handle(req, res, page) {
        const invoice = await invoiceOf(req, page);
        const data = await pageData(invoice, page);
        const form = parseForm(cardPaymentForm, req, page, payView, data);
        if (!form) return;
        let errors: { field: string; message: string }[] = [];
        try {
          await deps.db.transaction((trx) =>
            payByCard(
              trx,
              page.user!,
              {
                invoiceId: invoice.id,
                method: form.method,
                cardId: form.card,
                last4: form.last4,
                authorizationCode: form.authorizationCode,
                paidOn: form.paidOn,
                amountCents: form.amount,
                limitIncreaseReference: form.limitIncrease,
              },
              deps.clock.now(),
            ),
          );
        } catch (error) {
          if (error instanceof CardPaymentRefused) {
            errors = [{ field: error.refusal.field, message: refusalMessage(error.refusal, page) }];
          } else if (error instanceof TransitionError) {
            errors = transitionMessages(error.failure, page.t).map((message) => ({
              field: 'form',
              message,
            }));
          } else if (isUniqueViolation(error)) {
            const refusal = { code: 'already_paid', field: 'form' } as const;
            errors = [{ field: 'form', message: refusalMessage(refusal, page) }];
          } else throw error;
        }
        if (errors.length > 0) {
          const fresh = await pageData(await invoiceOf(req, page), page);
          return page.render(payView, { ...fresh, values: keepValues(req.body), errors }, 409);
        }
        res.redirect(303, `${page.url('invoicePayment', { invoice: invoice.id })}?done=paid`);
      },
    },
  ];
}

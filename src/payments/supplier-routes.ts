import type { Request } from 'express';
import { transitionMessages } from '../lifecycle/messages.ts';
import { inOneTransaction } from '../lifecycle/transition.ts';
import type { AppDeps } from '../platform/deps.ts';
import { formatCalendarDate } from '../platform/dates.ts';
import { HttpError } from '../platform/errors.ts';
import { keepValues, parseForm, positiveWholeNumber, versionField } from '../platform/forms.ts';
import { formatMoney } from '../platform/money.ts';
import type { PageContext, RouteDef } from '../platform/router.ts';
import { z } from 'zod';
import { confirmReceipt } from './completion.ts';
import { payoutOfInvoice } from './paypal/present.ts';
import { paymentOfInvoice } from './repo.ts';

const view = 'payments/supplier.njk';
const confirmForm = z.object({ version: versionField });

/**
 * The supplier's side of the payment: its status and the date it is due (the prompt-payment
 * clock), and the confirmation that the money arrived, which completes the contract.
 */
export function supplierPaymentRoutes(deps: AppDeps): RouteDef[] {
  /** The contract, to its own supplier only: anyone else gets the same 404 as for none. */
  async function contractOf(req: Request, page: PageContext) {
    const id = positiveWholeNumber(req.params.id);
    const contract = id ? await deps.db('contracts').where({ id }).first() : undefined;
    if (!contract || Number(contract.supplier_id) !== page.user?.id) throw new HttpError(404);
    return contract as { id: number; status: string; opportunity_id: number };
  }

  async function pageData(req: Request, page: PageContext) {
    const { lang } = page;
    const contract = await contractOf(req, page);
    const opportunity = await deps
      .db('opportunities')
      .where({ id: contract.opportunity_id })
      .first('reference', 'title_en', 'title_fr');
    const invoice = await deps.db('invoices').where({ contract_id: contract.id }).first();
    const payment = invoice ? await paymentOfInvoice(deps.db, invoice.id) : undefined;
    // A PayPal payout's state and the supplier's next step (src/payments/paypal/).
    const payout = invoice ? await payoutOfInvoice(deps.db, Number(invoice.id)) : undefined;
    return {
      paypalPayout: payout && Number(payment?.id) === payout.paymentId ? payout : undefined,
      contractId: contract.id,
      contractHref: page.url('contract', { id: contract.id }),
      reference: opportunity.reference,
      title: opportunity[`title_${lang}`],
      invoice: invoice && {
        number: invoice.invoice_number,
        amount: formatMoney(Number(invoice.amount_cents), lang),
        dueOn: formatCalendarDate(invoice.payment_due_on, lang),
      },
      payment: payment && {
        status: payment.status,
        method: payment.method,
        paidOn: payment.paid_on ? formatCalendarDate(payment.paid_on, lang) : null,
      },
      canConfirm: payment?.status === 'paid',
      completed: contract.status === 'completed',
      values: { version: String(payment?.version ?? '') },
    };
  }

  return [
    {
      page: 'supplierPayment',
      method: 'get',
      access: 'supplier',
      async handle(req, _res, page) {
        page.render(view, await pageData(req, page));
      },
    },
    {
      page: 'confirmReceipt',
      shows: 'supplierPayment',
      method: 'post',
      limit: { name: 'confirm-receipt', limit: 20, windowMs: 15 * 60 * 1000 },
      access: 'supplier',
      async handle(req, res, page) {
        const data = await pageData(req, page);
        const form = parseForm(confirmForm, req, page, view, data);
        if (!form) return;
        const outcome = await inOneTransaction(deps.db, (trx) =>
          confirmReceipt(trx, page.user!, {
            contractId: data.contractId,
            paymentVersion: form.version,
            now: deps.clock.now(),
          }),
        );
        if (!outcome.ok) {
          const errors = transitionMessages(outcome.failure, page.t).map((message) => ({
            field: 'confirm',
            message,
          }));
          const fresh = await pageData(req, page);
          return page.render(view, { ...fresh, values: keepValues(req.body), errors }, 409);
        }
        res.redirect(303, page.url('supplierPayment', { id: data.contractId }));
      },
    },
  ];
}

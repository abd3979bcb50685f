import type { Request } from 'express';
import { z } from 'zod';
import { transitionMessages } from '../../lifecycle/messages.ts';
import { hasRole } from '../../platform/auth.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { HttpError } from '../../platform/errors.ts';
import { positiveWholeNumber, versionField } from '../../platform/forms.ts';
import { formatMoney } from '../../platform/money.ts';
import type { PageContext, RouteDef } from '../../platform/router.ts';
import { payoutDepsOf } from './jobs.ts';
import { cancelUnclaimed, retryStuck } from './payout-recovery.ts';
import { payByPaypal, type PayRefusal } from './payouts.ts';
import { payoutOfInvoice } from './present.ts';

const view = 'payments/paypal/payout.njk';
const payForm = z.object({ confirm: z.literal('yes', 'paypal.errors.confirm') });
const cancelForm = z.object({ version: versionField });

interface InvoiceRow {
  id: string;
  status: string;
  department_id: number;
  invoice_number: string;
  amount_cents: number;
  supplier_legal_name: string;
  reference: string;
  title_en: string;
  title_fr: string;
  payment_methods: string[];
  paypal_email: string | null;
}

/** Finance's PayPal page for one certified invoice: pay, follow the payout, cancel it if unclaimed. */
export function paypalRoutes(deps: AppDeps): RouteDef[] {
  const limit = (name: string) => ({ name, limit: 30, windowMs: 60_000 });

  /** The invoice, to a finance officer of its department only: anyone else gets a 404. */
  async function invoiceOf(req: Request, page: PageContext): Promise<InvoiceRow> {
    const id = positiveWholeNumber(req.params.invoice);
    const invoice: InvoiceRow | undefined = id
      ? await deps
          .db('invoices as i')
          .join('opportunities as o', 'o.id', 'i.opportunity_id')
          .join('departments as d', 'd.id', 'i.department_id')
          .leftJoin('supplier_profiles as s', 's.user_id', 'i.supplier_id')
          .where('i.id', id)
          .first(
            'i.id',
            'i.status',
            'i.department_id',
            'i.invoice_number',
            'i.amount_cents',
            'i.supplier_legal_name',
            'o.reference',
            'o.title_en',
            'o.title_fr',
            'd.payment_methods',
            's.paypal_email',
          )
      : undefined;
    if (!invoice || !hasRole(page.user, ['finance_officer'], Number(invoice.department_id))) {
      throw new HttpError(404);
    }
    return invoice;
  }

  async function show(
    req: Request,
    page: PageContext,
    errors: { field: string; message: string }[] = [],
    status = 200,
  ) {
    const invoice = await invoiceOf(req, page);
    const payout = await payoutOfInvoice(deps.db, Number(invoice.id));
    const live = payout && !['failed', 'cancelled'].includes(payout.paymentStatus);
    const configured = payoutDepsOf(deps).paypal !== undefined;
    page.render(
      view,
      {
        invoice: {
          id: invoice.id,
          number: invoice.invoice_number,
          status: invoice.status,
          reference: invoice.reference,
          title: page.lang === 'fr' ? invoice.title_fr : invoice.title_en,
          supplier: invoice.supplier_legal_name,
          amount: formatMoney(Number(invoice.amount_cents), page.lang),
          paypalEmail: invoice.paypal_email,
        },
        payout,
        configured,
        allowed: invoice.payment_methods.includes('paypal_payout'),
        canPay: configured && invoice.status === 'certified' && !live && !!invoice.paypal_email,
        errors,
        values: {},
      },
      status,
    );
  }

  function refusalMessage(refusal: PayRefusal, page: PageContext): string {
    switch (refusal.kind) {
      case 'paypal_off':
      case 'not_payable':
      case 'already_paid':
      case 'no_paypal_email':
      case 'method_not_allowed':
      case 'certifier_pays':
        return page.t(`paypal.refusals.${refusal.kind}`);
      default:
        return transitionMessages(refusal, page.t).join(' ');
    }
  }

  return [
    {
      page: 'paypalPayout',
      method: 'get',
      access: { roles: ['finance_officer'] },
      handle: (req, _res, page) => show(req, page),
    },
    {
      page: 'paypalPayout',
      method: 'post',
      access: { roles: ['finance_officer'] },
      limit: limit('paypal-pay'),
      async handle(req, res, page) {
        const invoice = await invoiceOf(req, page);
        const form = payForm.safeParse(req.body ?? {});
        if (!form.success) {
          return show(
            req,
            page,
            [{ field: 'confirm', message: page.t('paypal.errors.confirm') }],
            400,
          );
        }
        const outcome = await payByPaypal(payoutDepsOf(deps), page.user!, {
          invoiceId: Number(invoice.id),
        });
        if (!outcome.ok) {
          return show(
            req,
            page,
            [{ field: 'form', message: refusalMessage(outcome.refusal, page) }],
            409,
          );
        }
        res.redirect(303, page.url('paypalPayout', { invoice: invoice.id }));
      },
    },
    {
      page: 'cancelPaypalPayout',
      method: 'post',
      access: { roles: ['finance_officer'] },
      shows: 'paypalPayout',
      limit: limit('paypal-cancel'),
      async handle(req, res, page) {
        const invoice = await invoiceOf(req, page);
        const payout = await payoutOfInvoice(deps.db, Number(invoice.id));
        const form = cancelForm.safeParse(req.body ?? {});
        if (!payout) throw new HttpError(404);
        if (!form.success) {
          return show(
            req,
            page,
            [{ field: 'form', message: page.t('lifecycle.failures.stale') }],
            400,
          );
        }
        const outcome = await cancelUnclaimed(payoutDepsOf(deps), page.user!, {
          paymentId: payout.paymentId,
          version: form.data.version,
        });
        if (!outcome.ok) {
          const message = ['paypal_off', 'not_unclaimed', 'paypal_unreachable'].includes(
            outcome.refusal,
          )
            ? page.t(`paypal.refusals.${outcome.refusal}`)
            : page.t(
                `lifecycle.failures.${outcome.refusal === 'wrong_state' ? 'wrong_state' : outcome.refusal}`,
              );
          return show(req, page, [{ field: 'form', message }], 409);
        }
        res.redirect(303, page.url('paypalPayout', { invoice: invoice.id }));
      },
    },
    {
      page: 'retryPaypalPayout',
      method: 'post',
      access: { roles: ['finance_officer'] },
      shows: 'paypalPayout',
      limit: limit('paypal-retry'),
      async handle(req, res, page) {
        const invoice = await invoiceOf(req, page);
        const payout = await payoutOfInvoice(deps.db, Number(invoice.id));
        if (!payout) throw new HttpError(404);
        const outcome = await retryStuck(payoutDepsOf(deps), page.user!, {
          paymentId: payout.paymentId,
        });
        if (!outcome.ok) {
          const message = ['not_stuck', 'too_old'].includes(outcome.refusal)
            ? page.t(`paypal.refusals.${outcome.refusal}`)
            : page.t(`lifecycle.failures.${outcome.refusal}`);
          return show(req, page, [{ field: 'form', message }], 409);
        }
        res.redirect(303, page.url('paypalPayout', { invoice: invoice.id }));
      },
    },
  ];
}

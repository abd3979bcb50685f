import type { Request } from 'express';
import { transitionMessages } from '../lifecycle/messages.ts';
import {
  inOneTransaction,
  TransitionError,
  type TransitionFailure,
} from '../lifecycle/transition.ts';
import { hasRole, type CurrentUser } from '../platform/auth.ts';
import { easternDate, formatCalendarDate } from '../platform/dates.ts';
import type { AppDeps } from '../platform/deps.ts';
import { HttpError } from '../platform/errors.ts';
import {
  fieldErrors,
  keepValues,
  positiveWholeNumber,
  type FieldError,
} from '../platform/forms.ts';
import type { PageContext, RouteDef } from '../platform/router.ts';
import { defaultInvoiceNumber, prefillInvoice } from './issue.ts';
import { invoicePdf, pdfFileName } from './pdf.ts';
import { contentOfIssued, invoiceSides } from './present.ts';
import { findInvoiceOfContract, findInvoicedContract, type InvoicedContract } from './repo.ts';
import { INVOICE_NUMBER_MAX, invoiceForm } from './schemas.ts';
import { checkInvoiceDate, submitInvoice } from './service.ts';

const view = 'invoices/invoice.njk';

/** Who reads an invoice besides its supplier: the department's finance roles. */
const financeRoles = ['section32_manager', 'section34_manager', 'finance_officer'] as const;

const isSupplierOf = (contract: InvoicedContract, user: CurrentUser | undefined) =>
  user?.kind === 'supplier' && user.id === contract.supplier_id;

/**
 * A refused submission: a date rule is bad input on the date field (400); anything else, a step
 * that cannot be taken now (409), belongs to the form.
 */
function refusal(failure: TransitionFailure, page: PageContext) {
  const onDate = failure.kind === 'guard' && failure.failure.code.startsWith('invoice_date');
  const errors: FieldError[] = transitionMessages(failure, page.t).map((message) => ({
    field: onDate ? 'invoiceDate' : 'invoice-error',
    message,
  }));
  return { errors, status: onDate ? 400 : 409 };
}

export function invoiceRoutes(deps: AppDeps): RouteDef[] {
  async function contractOf(req: Request): Promise<InvoicedContract> {
    const id = positiveWholeNumber(req.params.id);
    const contract = id ? await findInvoicedContract(deps.db, id) : undefined;
    if (!contract) throw new HttpError(404);
    return contract;
  }

  /** The contract to its own supplier; anyone else gets the same 404 as for no contract. */
  async function suppliersContract(req: Request, page: PageContext): Promise<InvoicedContract> {
    const contract = await contractOf(req);
    if (!isSupplierOf(contract, page.user)) throw new HttpError(404);
    return contract;
  }

  async function returnReasonOf(invoiceId: number) {
    const row = await deps
      .db('events')
      .where({ entity_type: 'invoice', entity_id: invoiceId, action: 'return_invoice' })
      .orderBy('id', 'desc')
      .first('reason', 'reason_lang');
    return row?.reason
      ? { text: row.reason as string, lang: row.reason_lang as string | null }
      : null;
  }

  /** The invoice page: what stands, and the form while the supplier may (re)issue it. */
  async function pageData(
    contract: InvoicedContract,
    page: PageContext,
    query: Request['query'] = {},
  ) {
    const { lang, t } = page;
    const now = deps.clock.now();
    const invoice = await findInvoiceOfContract(deps.db, contract.id);
    const mine = isSupplierOf(contract, page.user);
    const canInvoice =
      mine && (invoice ? invoice.status === 'returned' : contract.status === 'accepted');
    const today = easternDate(now);
    const defaults = {
      invoiceNumber: invoice?.invoice_number ?? defaultInvoiceNumber(contract.reference),
      invoiceDate:
        invoice && invoice.invoice_date > today ? today : (invoice?.invoice_date ?? today),
    };
    const prefill = canInvoice ? await prefillInvoice(deps.db, contract, defaults) : undefined;
    const received = invoice && {
      receivedOn: easternDate(invoice.received_at),
      paymentDueOn: invoice.payment_due_on,
    };
    const sides =
      invoice && invoiceSides(contentOfIssued(invoice, contract), deps.translator, received);
    const dates = received && {
      receivedOn: formatCalendarDate(received.receivedOn, lang),
      dueOn: formatCalendarDate(received.paymentDueOn, lang),
    };
    const fromQuery = keepValues(query);
    return {
      contractId: contract.id,
      reference: contract.reference,
      title: contract[`title_${lang}`],
      contractHref: page.url('contract', { id: contract.id }),
      notAccepted: mine && !invoice && contract.status !== 'accepted',
      canInvoice,
      missing: prefill && !prefill.ok ? prefill.missing : [],
      acceptedOn: prefill?.ok ? prefill.acceptedOn : '',
      numberHint: t('invoices.page.numberHint', {
        default: defaultInvoiceNumber(contract.reference),
        max: INVOICE_NUMBER_MAX,
      }),
      statusText:
        invoice && dates
          ? mine
            ? t(`invoices.page.status.${invoice.status}`, dates)
            : t('invoices.page.staffStatus', dates)
          : '',
      heading:
        invoice && !mine
          ? t('invoices.page.staffTitle', { number: invoice.invoice_number })
          : t('invoices.page.title'),
      returnReason: invoice?.status === 'returned' ? await returnReasonOf(invoice.id) : null,
      sides,
      pdfHref: invoice ? page.url('invoicePdf', { id: contract.id }) : '',
      values: {
        ...defaults,
        ...(invoice?.status === 'returned' ? { version: String(invoice.version) } : {}),
        ...(fromQuery.invoiceNumber !== undefined && { invoiceNumber: fromQuery.invoiceNumber }),
        ...(fromQuery.invoiceDate !== undefined && { invoiceDate: fromQuery.invoiceDate }),
      },
    };
  }

  /** The form back as typed, with its errors. */
  async function again(
    req: Request,
    contract: InvoicedContract,
    page: PageContext,
    errors: FieldError[],
    status: number,
  ) {
    const data = await pageData(contract, page);
    page.render(
      view,
      { ...data, values: { ...data.values, ...keepValues(req.body) }, errors },
      status,
    );
  }

  const limit = { limit: 30, windowMs: 15 * 60 * 1000 };
  return [
    {
      page: 'invoice',
      method: 'get',
      access: 'signedIn',
      async handle(req, _res, page) {
        const contract = await contractOf(req);
        const mine = isSupplierOf(contract, page.user);
        const staff = hasRole(page.user, financeRoles, contract.department_id);
        if (!mine && !(staff && (await findInvoiceOfContract(deps.db, contract.id)))) {
          throw new HttpError(404);
        }
        page.render(view, await pageData(contract, page, mine ? req.query : {}));
      },
    },
    {
      page: 'invoicePreview',
      shows: 'invoice',
      method: 'post',
      limit: { name: 'previewInvoice', ...limit },
      access: 'signedIn',
      async handle(req, _res, page) {
        const contract = await suppliersContract(req, page);
        const parsed = invoiceForm.safeParse(req.body ?? {});
        if (!parsed.success)
          return again(req, contract, page, fieldErrors(parsed.error, page.t), 400);
        const form = parsed.data;
        const data = await pageData(contract, page);
        if (!data.canInvoice || data.missing.length) return again(req, contract, page, [], 409);
        const prefill = await prefillInvoice(deps.db, contract, form);
        if (!prefill.ok) return again(req, contract, page, [], 409);
        try {
          checkInvoiceDate(form.invoiceDate, prefill.acceptedOn, deps.clock.now());
        } catch (error) {
          if (!(error instanceof TransitionError)) throw error;
          const refused = refusal(error.failure, page);
          return again(req, contract, page, refused.errors, refused.status);
        }
        page.render('invoices/preview.njk', {
          ...data,
          sides: invoiceSides(prefill.content, deps.translator),
          values: keepValues(req.body),
          changeHref: `${page.url('invoice', { id: contract.id })}?${new URLSearchParams({
            invoiceNumber: form.invoiceNumber,
            invoiceDate: form.invoiceDate,
          }).toString()}`,
        });
      },
    },
    {
      page: 'invoice',
      method: 'post',
      limit: { name: 'submitInvoice', ...limit },
      access: 'signedIn',
      async handle(req, res, page) {
        const contract = await suppliersContract(req, page);
        const parsed = invoiceForm.safeParse(req.body ?? {});
        if (!parsed.success)
          return again(req, contract, page, fieldErrors(parsed.error, page.t), 400);
        const outcome = await inOneTransaction(deps.db, (trx) =>
          submitInvoice(trx, page.user!, {
            contractId: contract.id,
            ...parsed.data,
            now: deps.clock.now(),
          }),
        );
        if (!outcome.ok) {
          const refused = refusal(outcome.failure, page);
          return again(req, contract, page, refused.errors, refused.status);
        }
        res.redirect(303, page.url('invoice', { id: contract.id }));
      },
    },
    {
      page: 'invoicePdf',
      method: 'get',
      limit: { name: 'invoicePdf', limit: 60, windowMs: 15 * 60 * 1000 },
      access: 'signedIn',
      async handle(req, res, page) {
        const contract = await contractOf(req);
        const mayRead =
          isSupplierOf(contract, page.user) ||
          hasRole(page.user, financeRoles, contract.department_id);
        const invoice = mayRead ? await findInvoiceOfContract(deps.db, contract.id) : undefined;
        if (!invoice) throw new HttpError(404);
        const received = {
          receivedOn: easternDate(invoice.received_at),
          paymentDueOn: invoice.payment_due_on,
        };
        const pdf = await invoicePdf(
          invoiceSides(contentOfIssued(invoice, contract), deps.translator, received),
        );
        res
          .status(200)
          .set({
            'Content-Type': 'application/pdf',
            'Content-Disposition': `attachment; filename="${pdfFileName(invoice.invoice_number, page.lang)}"`,
            'Cache-Control': 'no-store',
          })
          .send(pdf);
      },
    },
  ];
}

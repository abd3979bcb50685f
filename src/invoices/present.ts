import { formatCalendarDate } from '../platform/dates.ts';
import { languages, type Lang, type Translator } from '../platform/i18n.ts';
import { formatMoney } from '../platform/money.ts';
import type { InvoiceContent } from './issue.ts';
import type { IssuedInvoice } from './repo.ts';

/** One language's side of the invoice, every value formatted for it. */
export interface InvoiceSide {
  lang: Lang;
  heading: string;
  rows: { label: string; value: string }[];
  supplier: { label: string; lines: string[] };
  billTo: { label: string; lines: string[] };
  amounts: { label: string; value: string; total?: boolean }[];
  note: string;
}

/** When it was received and when payment is due, once it is submitted. */
export interface Received {
  receivedOn: string;
  paymentDueOn: string;
}

const percent = (basisPoints: number, lang: Lang) =>
  new Intl.NumberFormat(lang === 'fr' ? 'fr-CA' : 'en-CA', {
    style: 'percent',
    maximumFractionDigits: 2,
  }).format(basisPoints / 10_000);

/**
 * The invoice in both official languages, English then French: an invoice to the Government of
 * Canada. The page, the print stylesheet and the PDF all show these two sides.
 */
export function invoiceSides(
  content: InvoiceContent,
  translator: Translator,
  received?: Received,
): InvoiceSide[] {
  return languages.map((lang) => {
    const t = translator.t(lang);
    const k = (key: string) => t(`invoices.document.${key}`);
    const date = (iso: string) => formatCalendarDate(iso, lang);
    const money = (cents: number) => formatMoney(cents, lang);
    const { supplier, tax } = content;
    return {
      lang,
      heading: k('heading'),
      rows: [
        { label: k('number'), value: content.invoiceNumber },
        { label: k('date'), value: date(content.invoiceDate) },
        ...(received
          ? [
              { label: k('received'), value: date(received.receivedOn) },
              { label: k('due'), value: date(received.paymentDueOn) },
            ]
          : []),
        { label: k('reference'), value: content.reference },
        { label: k('work'), value: content.title[lang] },
        { label: k('reservation'), value: content.reservationNumber },
      ],
      supplier: {
        label: k('from'),
        lines: [
          supplier.legalName,
          supplier.email,
          t(`provinces.${supplier.province}`),
          supplier.gstHstNumber
            ? `${k('gstHstNumber')} ${supplier.gstHstNumber}`
            : k('notRegistered'),
        ],
      },
      billTo: { label: k('billTo'), lines: [content.department[lang], k('government')] },
      amounts: [
        { label: k('preTax'), value: money(content.preTaxCents) },
        {
          label: tax.kind
            ? t(`invoices.document.tax${tax.kind}`, { rate: percent(tax.basisPoints, lang) })
            : k('noTax'),
          value: money(tax.taxCents),
        },
        { label: k('total'), value: money(tax.totalCents), total: true },
      ],
      note: k('note'),
    };
  });
}

/** The content of an invoice already issued, as it was stored. */
export function contentOfIssued(
  invoice: IssuedInvoice,
  contract: {
    reference: string;
    title_en: string;
    title_fr: string;
    department_en: string;
    department_fr: string;
  },
): InvoiceContent {
  return {
    reference: contract.reference,
    title: { en: contract.title_en, fr: contract.title_fr },
    department: { en: contract.department_en, fr: contract.department_fr },
    invoiceNumber: invoice.invoice_number,
    invoiceDate: invoice.invoice_date,
    reservationNumber: invoice.reservation_number,
    preTaxCents: invoice.pre_tax_cents,
    tax: {
      kind: invoice.tax_kind,
      basisPoints: invoice.tax_basis_points,
      taxCents: invoice.tax_cents,
      totalCents: invoice.amount_cents,
    },
    supplier: {
      legalName: invoice.supplier_legal_name,
      email: invoice.supplier_email,
      province: invoice.province,
      gstHstNumber: invoice.gst_hst_number,
    },
  };
}

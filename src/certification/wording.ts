import type { Lang, Translate } from '../platform/i18n.ts';
import { formatMoney } from '../platform/money.ts';

/**
 * The statutory attestation of section 34 of the Financial Administration Act (s. 34(1)(a)(i):
 * the work performed, and the price charged according to the contract), about one invoice. The
 * page shows it in its language and the very same text is stored with the certification: both
 * come from here.
 */
export function section34Wording(
  invoice: { invoice_number: string; supplier_legal_name: string; amount_cents: number },
  lang: Lang,
  t: Translate,
): string {
  return t('certification.wording', {
    invoice: invoice.invoice_number,
    supplier: invoice.supplier_legal_name,
    total: formatMoney(invoice.amount_cents, lang),
  });
}

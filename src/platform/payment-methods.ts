/**
 * The three ways a department pays (DOMAIN.md, "Payment"): its acquisition card directly, its
 * acquisition card through the supplier's PayPal checkout, or a PayPal payout from its business
 * account. The database's CHECKs hold the same list.
 */
export const paymentMethods = ['card_direct', 'card_paypal_checkout', 'paypal_payout'] as const;
export type PaymentMethod = (typeof paymentMethods)[number];

/** Both card modes pay IT services by acquisition card: they need the department's exemption. */
export const isCardPayment = (method: string | null | undefined): boolean =>
  method === 'card_direct' || method === 'card_paypal_checkout';

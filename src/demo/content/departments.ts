import type { DemoDepartment } from './types.ts';
import type { PaymentMethod } from '../../platform/payment-methods.ts';

/**
 * The two demo departments. Each demo opportunity has a cost centre of its own, so related
 * purchases never pass the cap by accident; ESDC's 109215 is kept free for the browser test.
 */
export const demoDepartments: Record<
  DemoDepartment,
  {
    acronym_en: string;
    acronym_fr: string;
    name_en: string;
    name_fr: string;
    cost_centres: readonly string[];
    payment_methods: readonly PaymentMethod[];
    card_exemption_reference: string | null;
    /** Where the demo staff's addresses end: the department's administrator invites there. */
    email_domains: readonly string[];
  }
> = {
  ESDC: {
    acronym_en: 'ESDC',
    acronym_fr: 'EDSC',
    name_en: 'Employment and Social Development Canada',
    name_fr: 'Emploi et Développement social Canada',
    cost_centres: [
      '102345',
      '102346',
      '103410',
      '103420',
      '103430',
      '103440',
      '103450',
      '103460',
      '103470',
      '103480',
      '103490',
      '103510',
      '103520',
      '105120',
      '107810',
      '109215',
    ],
    payment_methods: ['card_direct', 'paypal_payout'],
    card_exemption_reference: 'CFO-2021-04',
    email_domains: ['esdc.example.ca'],
  },
  TBS: {
    acronym_en: 'TBS',
    acronym_fr: 'SCT',
    name_en: 'Treasury Board of Canada Secretariat',
    name_fr: 'Secrétariat du Conseil du Trésor du Canada',
    cost_centres: ['T20110', 'T20120', 'T20130', 'T20140', 'T20150'],
    payment_methods: ['paypal_payout'],
    card_exemption_reference: null,
    email_domains: ['tbs.example.ca'],
  },
};

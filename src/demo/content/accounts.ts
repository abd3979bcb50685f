import type { Role } from '../../platform/roles.ts';
import type { DemoDepartment } from './types.ts';

interface DemoAccount {
  email: string;
  name: string;
  kind: 'supplier' | 'staff';
  language: 'en' | 'fr';
  roles?: { role: Role; department?: DemoDepartment; limitCents?: number }[];
  /** A finance officer's acquisition card in their department (its last 4 digits, its limit). */
  card?: { last4: string; limitCents: number };
  /** A supplier's profile as an invoice reads it (Ontario and no GST/HST number unless given). */
  profile?: { province?: 'ON' | 'QC' | 'BC'; gstHstNumber?: string; paypalEmail?: string };
}

/**
 * One account per role in ESDC; in TBS a client and the program officer and section 32 manager
 * its requests need (every department has its own staff); a platform administrator and four
 * suppliers. The sign-in page lists them in development.
 */
export const demoAccounts: readonly DemoAccount[] = [
  {
    email: 'client@esdc.example.ca',
    name: 'Chloé Tremblay',
    kind: 'staff',
    language: 'fr',
    roles: [{ role: 'client', department: 'ESDC' }],
  },
  {
    email: 'program@esdc.example.ca',
    name: 'Priya Singh',
    kind: 'staff',
    language: 'en',
    roles: [{ role: 'program_officer', department: 'ESDC' }],
  },
  {
    email: 's32@esdc.example.ca',
    name: 'Marc Gagnon',
    kind: 'staff',
    language: 'fr',
    roles: [{ role: 'section32_manager', department: 'ESDC', limitCents: 1_000_000 }],
  },
  {
    email: 's34@esdc.example.ca',
    name: 'Grace Okafor',
    kind: 'staff',
    language: 'en',
    roles: [{ role: 'section34_manager', department: 'ESDC' }],
  },
  {
    email: 'finance@esdc.example.ca',
    name: 'Luc Bergeron',
    kind: 'staff',
    language: 'fr',
    roles: [{ role: 'finance_officer', department: 'ESDC' }],
    card: { last4: '4821', limitCents: 1_000_000 },
  },
  {
    email: 'admin@esdc.example.ca',
    name: 'Sarah MacDonald',
    kind: 'staff',
    language: 'en',
    roles: [{ role: 'department_admin', department: 'ESDC' }],
  },
  {
    email: 'client@tbs.example.ca',
    name: 'Julien Roy',
    kind: 'staff',
    language: 'fr',
    roles: [{ role: 'client', department: 'TBS' }],
  },
  {
    email: 'program@tbs.example.ca',
    name: 'Daniel Osei',
    kind: 'staff',
    language: 'en',
    roles: [{ role: 'program_officer', department: 'TBS' }],
  },
  {
    email: 's32@tbs.example.ca',
    name: 'Isabelle Lavoie',
    kind: 'staff',
    language: 'fr',
    roles: [{ role: 'section32_manager', department: 'TBS', limitCents: 1_000_000 }],
  },
  {
    email: 'platform@example.ca',
    name: 'Amina Haddad',
    kind: 'staff',
    language: 'en',
    roles: [{ role: 'platform_admin' }],
  },
  {
    email: 'ada@supplier.example.com',
    name: 'Ada Nakamura',
    kind: 'supplier',
    language: 'en',
    profile: { gstHstNumber: '123456782RT0001' },
  },
  {
    email: 'etienne@supplier.example.com',
    name: 'Étienne Côté',
    kind: 'supplier',
    language: 'fr',
    profile: {
      province: 'QC',
      gstHstNumber: '811122234RT0001',
      paypalEmail: 'etienne.paypal@supplier.example.com',
    },
  },
  { email: 'noor@supplier.example.com', name: 'Noor Rahman', kind: 'supplier', language: 'en' },
  {
    email: 'genevieve@supplier.example.com',
    name: 'Geneviève Paquette',
    kind: 'supplier',
    language: 'fr',
    profile: { province: 'QC' },
  },
];

import { appointmentCalendar } from './opportunities/appointment-calendar.ts';
import { azureMarketplacePolicies } from './opportunities/azure-marketplace-policies.ts';
import { brokenLinks } from './opportunities/broken-links.ts';
import { canadaFormatting } from './opportunities/canada-formatting.ts';
import { contrastAction } from './opportunities/contrast-action.ts';
import { dateOfBirthField } from './opportunities/date-of-birth-field.ts';
import { disclosureCsvExport } from './opportunities/disclosure-csv-export.ts';
import { drupalMenu } from './opportunities/drupal-menu.ts';
import { errorSummary } from './opportunities/error-summary.ts';
import { frenchErrorMessages } from './opportunities/french-error-messages.ts';
import { harvesterRetry } from './opportunities/harvester-retry.ts';
import { notifyConnector } from './opportunities/notify-connector.ts';
import { openResourceValidation } from './opportunities/open-resource-validation.ts';
import { outageBanner } from './opportunities/outage-banner.ts';
import { postalCodeValidation } from './opportunities/postal-code-validation.ts';
import { renovateConfig } from './opportunities/renovate-config.ts';
import { softwareBillOfMaterials } from './opportunities/software-bill-of-materials.ts';
import { grantsDashboardExport, plainLanguageChecker, searchShortcuts } from './requests.ts';
import type { DemoOpportunity } from './types.ts';

/**
 * Every demo opportunity: open ones, closed ones, contracts at each stage after the award (in
 * progress, delivered, invoiced, certified awaiting a card payment or a PayPal payout, completed),
 * a cancelled one, the 2021 pilot's, and three
 * requests still in the queues. The loader replays their histories in time order, whatever the
 * order here (it only varies the default preparation days).
 */
export const demoOpportunities: readonly DemoOpportunity[] = [
  dateOfBirthField,
  contrastAction,
  frenchErrorMessages,
  disclosureCsvExport,
  notifyConnector,
  harvesterRetry,
  postalCodeValidation,
  canadaFormatting,
  softwareBillOfMaterials,
  errorSummary,
  appointmentCalendar,
  brokenLinks,
  renovateConfig,
  outageBanner,
  openResourceValidation,
  drupalMenu,
  azureMarketplacePolicies,
  searchShortcuts,
  grantsDashboardExport,
  plainLanguageChecker,
];

import { azureMarketplacePolicies } from './opportunities/azure-marketplace-policies.ts';
import { canadaFormatting } from './opportunities/canada-formatting.ts';
import { contrastAction } from './opportunities/contrast-action.ts';
import { dateOfBirthField } from './opportunities/date-of-birth-field.ts';
import { disclosureCsvExport } from './opportunities/disclosure-csv-export.ts';
import { drupalMenu } from './opportunities/drupal-menu.ts';
import { frenchErrorMessages } from './opportunities/french-error-messages.ts';
import { harvesterRetry } from './opportunities/harvester-retry.ts';
import { notifyConnector } from './opportunities/notify-connector.ts';
import { openResourceValidation } from './opportunities/open-resource-validation.ts';
import { postalCodeValidation } from './opportunities/postal-code-validation.ts';
import { softwareBillOfMaterials } from './opportunities/software-bill-of-materials.ts';
import { grantsDashboardExport, plainLanguageChecker, searchShortcuts } from './requests.ts';
import type { DemoOpportunity } from './types.ts';

/**
 * Every demo opportunity: open ones, closed ones, a cancelled one, the 2021 pilot's, and three
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
  openResourceValidation,
  drupalMenu,
  azureMarketplacePolicies,
  searchShortcuts,
  grantsDashboardExport,
  plainLanguageChecker,
];

import type { DemoOpportunity } from '../types.ts';

export const drupalMenu: DemoOpportunity = {
  department: 'ESDC',
  reaches: 'cancelled',
  timing: { opensInDays: -40, closesInDays: -19, deliveryWeeks: 4 },
  repositoryUrl: 'https://github.com/esdc-edsc/canada-menu',
  sourceLanguage: 'en',
  licence: 'GPL-2.0-or-later',
  priceCents: 350_000,
  costCentre: '103460',
  paymentMethod: 'paypal_payout',
  cancellation: {
    reason:
      'Cancelled before the closing date: the Canada.ca theme maintainers released a Drupal 11 version that includes the menu and breadcrumb, so this module and the work are no longer needed. No applications were evaluated.',
    lang: 'en',
  },
  en: {
    title: 'Make the Canada.ca menu module compatible with Drupal 11',
    summary:
      'Update our open-source Drupal module that displays the Canada.ca site menu so that it installs and passes its tests on Drupal 11.',
    description: [
      {
        heading: 'Background',
        body: [
          'Several ESDC program websites are built with Drupal and use a small module we published to display the Canada.ca site menu and breadcrumb trail. We need to move these sites to Drupal 11, and the module uses programming interfaces that Drupal 11 removed.',
        ],
      },
      {
        heading: 'What we need',
        body: [
          [
            "Replace the deprecated APIs reported by Drupal's Upgrade Status tool.",
            "Update the module's info file and dependencies for Drupal 10.3 and 11.",
            'Make the existing PHPUnit tests pass on both versions in the continuous integration pipeline.',
          ],
        ],
      },
      {
        heading: 'Good to know',
        body: ['The module is licensed under GPL-2.0-or-later, like Drupal itself.'],
      },
    ],
    skills: ['PHP', 'Drupal 10 and 11', 'PHPUnit'],
    mandatory: [
      'Link to a Drupal module or theme you contributed to, with at least one change that was merged.',
      'Link to public PHP code, with automated tests that you wrote.',
    ],
    acceptance: [
      'The module installs on a new Drupal 10.3 site and a new Drupal 11 site without errors or deprecation warnings.',
      'The PHPUnit tests pass on both versions in the pipeline.',
      'The work is delivered as a merged pull request under GPL-2.0-or-later.',
    ],
  },
  fr: {
    title: 'Rendre le module de menus Canada.ca compatible avec Drupal 11',
    summary:
      'Mettre à jour notre module Drupal à code source ouvert qui affiche le menu du site Canada.ca, afin qu’il s’installe et réussisse ses tests sous Drupal 11.',
    description: [
      {
        heading: 'Contexte',
        body: [
          'Plusieurs sites Web de programmes d’EDSC sont construits avec Drupal et utilisent un petit module que nous avons publié pour afficher le menu du site et le chemin de navigation de Canada.ca. Nous devons faire passer ces sites à Drupal 11, et le module utilise des interfaces de programmation que Drupal 11 a retirées.',
        ],
      },
      {
        heading: 'Ce dont nous avons besoin',
        body: [
          [
            'Remplacer les API désuètes signalées par l’outil Upgrade Status de Drupal.',
            'Mettre à jour le fichier d’information du module et ses dépendances pour Drupal 10.3 et 11.',
            'Faire réussir les tests PHPUnit existants avec les deux versions dans le pipeline d’intégration continue.',
          ],
        ],
      },
      {
        heading: 'Bon à savoir',
        body: ['Le module est publié sous licence GPL-2.0-or-later, comme Drupal.'],
      },
    ],
    skills: ['PHP', 'Drupal 10 et 11', 'PHPUnit'],
    mandatory: [
      'Lien vers un module ou un thème Drupal auquel vous avez contribué, avec au moins une modification qui a été fusionnée.',
      'Lien vers du code public en PHP, accompagné de tests automatisés que vous avez écrits.',
    ],
    acceptance: [
      'Le module s’installe sans erreur ni avertissement d’obsolescence sur un nouveau site Drupal 10.3 et sur un nouveau site Drupal 11.',
      'Les tests PHPUnit réussissent avec les deux versions dans le pipeline.',
      'Les travaux sont livrés dans une demande de tirage (pull request) fusionnée, sous licence GPL-2.0-or-later.',
    ],
  },
};

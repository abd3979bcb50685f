import type { DemoOpportunity } from '../types.ts';

export const harvesterRetry: DemoOpportunity = {
  department: 'TBS',
  reaches: 'published',
  timing: { opensInDays: -1, closesInDays: 28, deliveryWeeks: 6 },
  repositoryUrl: 'https://github.com/canada-ca/open-data-harvester',
  sourceLanguage: 'en',
  licence: 'MIT',
  priceCents: 740_000,
  costCentre: 'T20130',
  paymentMethod: 'paypal_payout',
  en: {
    title: 'Retry and resume for the open data harvester',
    summary:
      'Make the pipeline that copies departmental datasets to the Open Government Portal retry failed downloads and resume where it stopped, instead of starting over.',
    description: [
      {
        heading: 'Background',
        body: [
          'Every night, a Python pipeline downloads the datasets that departments publish on their own servers, checks them and updates the matching records on the Open Government Portal. About 1,200 files are harvested each night.',
          'When a departmental server is slow or does not respond, the whole run stops. The next night it starts again from the beginning, and the datasets that depend on that server can stay out of date for days.',
        ],
      },
      {
        heading: 'What we need',
        body: [
          [
            'Retry each download a configurable number of times, with exponential backoff and jitter, after a network error or an HTTP 429 or 5xx response.',
            'Record the progress of each run in the existing SQLite state file, so that an interrupted run can resume with the sources it had not finished.',
            'Skip a source that keeps failing, carry on with the others, and list it in the run report.',
            'Add a `--resume` option to the command line, described in its help text.',
          ],
        ],
      },
      {
        heading: 'Good to know',
        body: [
          'The pipeline uses Python 3.12 and the `requests` library. A test suite based on recorded HTTP responses is already in place; please extend it rather than calling real servers.',
        ],
      },
    ],
    skills: ['Python', 'HTTP', 'SQLite', 'pytest'],
    mandatory: [
      'Link to at least one public pull request in Python that was merged.',
      'Link to public code in which you handled network failures (retries, timeouts or backoff).',
    ],
    acceptance: [
      'Existing and new tests pass; the new tests simulate a server that fails, recovers or times out.',
      'A test shows that a run interrupted halfway resumes with the remaining sources only.',
      'The README describes the new options and the run report, in English and French.',
      'The work is delivered as a merged pull request under the MIT licence, with no new dependency that is not open source.',
    ],
  },
  fr: {
    title: 'Reprise sur erreur pour le moissonneur de données ouvertes',
    summary:
      'Faire en sorte que le pipeline qui copie les jeux de données des ministères vers le Portail du gouvernement ouvert relance les téléchargements qui échouent et reprenne là où il s’est arrêté, au lieu de tout recommencer.',
    description: [
      {
        heading: 'Contexte',
        body: [
          'Chaque nuit, un pipeline Python télécharge les jeux de données que les ministères publient sur leurs propres serveurs, les vérifie et met à jour les fiches correspondantes dans le Portail du gouvernement ouvert. Environ 1 200 fichiers sont moissonnés chaque nuit.',
          'Lorsqu’un serveur ministériel est lent ou ne répond pas, toute l’exécution s’arrête. La nuit suivante, elle reprend depuis le début, et les jeux de données qui dépendent de ce serveur peuvent rester périmés pendant des jours.',
        ],
      },
      {
        heading: 'Ce dont nous avons besoin',
        body: [
          [
            'Relancer chaque téléchargement un nombre de fois paramétrable, à intervalles croissants et légèrement aléatoires, après une erreur réseau ou une réponse HTTP 429 ou 5xx.',
            'Consigner la progression de chaque exécution dans le fichier d’état SQLite existant, afin qu’une exécution interrompue puisse reprendre avec les sources qu’elle n’avait pas terminées.',
            'Passer une source qui échoue à répétition, poursuivre avec les autres et l’inscrire au rapport d’exécution.',
            'Ajouter l’option `--resume` à la ligne de commande, décrite dans son texte d’aide.',
          ],
        ],
      },
      {
        heading: 'Bon à savoir',
        body: [
          'Le pipeline utilise Python 3.12 et la bibliothèque `requests`. Une suite de tests fondée sur des réponses HTTP enregistrées existe déjà; veuillez la compléter plutôt que d’appeler de véritables serveurs.',
        ],
      },
    ],
    skills: ['Python', 'HTTP', 'SQLite', 'pytest'],
    mandatory: [
      'Lien vers au moins une demande de tirage publique en Python qui a été fusionnée.',
      'Lien vers du code public dans lequel vous avez géré des défaillances réseau (nouvelles tentatives, délais d’expiration ou intervalles croissants).',
    ],
    acceptance: [
      'Les tests existants et nouveaux réussissent; les nouveaux tests simulent un serveur qui tombe en panne, se rétablit ou dépasse le délai d’attente.',
      'Un test démontre qu’une exécution interrompue à mi-parcours reprend uniquement avec les sources restantes.',
      'Le fichier README décrit les nouvelles options et le rapport d’exécution, en français et en anglais.',
      'Les travaux sont livrés dans une demande de tirage (pull request) fusionnée, sous licence MIT, sans nouvelle dépendance qui ne soit pas à code source ouvert.',
    ],
  },
};

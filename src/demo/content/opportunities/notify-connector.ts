import type { DemoOpportunity } from '../types.ts';

export const notifyConnector: DemoOpportunity = {
  department: 'ESDC',
  reaches: 'published',
  timing: { opensInDays: -2, closesInDays: 21, deliveryWeeks: 6 },
  repositoryUrl: 'https://gitlab.com/esdc-edsc/notify-connector',
  sourceLanguage: 'en',
  licence: 'Apache-2.0',
  priceCents: 690_000,
  costCentre: '103430',
  paymentMethod: 'paypal_payout',
  en: {
    title: 'GC Notify connector for the appointment booking service',
    summary:
      'Write a small, reusable Node.js module that sends appointment confirmations and reminders through the GC Notify API, with retries and templates in both official languages.',
    description: [
      {
        heading: 'Background',
        body: [
          'People who need help with their Social Insurance Number or a passport application can book an appointment at a Service Canada Centre online. The prototype of the booking service sends confirmations by email through a shared mail server.',
          "We want to move to GC Notify, the Government of Canada's notification service, which many departments already use to send emails and text messages.",
        ],
      },
      {
        heading: 'What we need',
        body: [
          'A Node.js module, written in TypeScript, that:',
          [
            'sends an email or a text message from a GC Notify template, in the language the person chose;',
            'retries temporary failures (HTTP 429 and 5xx responses) with exponential backoff, and never retries a request that GC Notify rejected as not valid;',
            'never writes personal information (email addresses, phone numbers, names) to the logs;',
            'can be tested without a real API key, using a fake server included in the tests.',
          ],
        ],
      },
      {
        heading: 'Good to know',
        body: [
          "GC Notify's API is public and documented. You will get a test API key when the work starts. We only need the module: connecting it to the booking service is not part of this work.",
        ],
      },
    ],
    skills: ['Node.js', 'TypeScript', 'REST APIs', 'Automated testing'],
    mandatory: [
      'Link to public code in which you called a REST API with error handling and retries.',
      'Link to at least one public merge request or pull request in TypeScript that was merged.',
      'A short statement (150 words or less) describing how you keep personal information out of application logs.',
    ],
    acceptance: [
      "The module's tests pass in the GitLab pipeline and cover sending, retries, requests that are not valid, and both languages.",
      'A test shows that no email address or phone number appears in the logs.',
      'The README explains, in English and French, how to install, configure and use the module.',
      'Each source file has the Apache-2.0 licence header, and the work is merged into the main branch.',
    ],
  },
  fr: {
    title: 'Connecteur Notification GC pour le service de prise de rendez-vous',
    summary:
      'Écrire un petit module Node.js réutilisable qui envoie les confirmations et les rappels de rendez-vous au moyen de l’API de Notification GC, avec de nouvelles tentatives en cas d’échec et des gabarits dans les deux langues officielles.',
    description: [
      {
        heading: 'Contexte',
        body: [
          'Les personnes qui ont besoin d’aide pour leur numéro d’assurance sociale ou une demande de passeport peuvent prendre rendez-vous en ligne dans un Centre Service Canada. Le prototype du service de prise de rendez-vous envoie les confirmations par courriel au moyen d’un serveur de messagerie partagé.',
          'Nous voulons passer à Notification GC, le service de notification du gouvernement du Canada, que de nombreux ministères utilisent déjà pour envoyer des courriels et des messages texte.',
        ],
      },
      {
        heading: 'Ce dont nous avons besoin',
        body: [
          'Un module Node.js, écrit en TypeScript, qui :',
          [
            'envoie un courriel ou un message texte à partir d’un gabarit de Notification GC, dans la langue choisie par la personne;',
            'fait de nouvelles tentatives, à intervalles croissants, en cas d’erreur temporaire (réponses HTTP 429 et 5xx), et ne répète jamais une requête que Notification GC a refusée parce qu’elle n’était pas valide;',
            'n’écrit jamais de renseignements personnels (adresses courriel, numéros de téléphone, noms) dans les journaux;',
            'peut être testé sans véritable clé d’API, grâce à un faux serveur inclus dans les tests.',
          ],
        ],
      },
      {
        heading: 'Bon à savoir',
        body: [
          'L’API de Notification GC est publique et documentée. Une clé d’API d’essai vous sera remise au début des travaux. Nous n’avons besoin que du module : son intégration au service de prise de rendez-vous ne fait pas partie des travaux.',
        ],
      },
    ],
    skills: ['Node.js', 'TypeScript', 'API REST', 'Tests automatisés'],
    mandatory: [
      'Lien vers du code public dans lequel vous avez appelé une API REST avec gestion des erreurs et nouvelles tentatives.',
      'Lien vers au moins une demande de fusion (merge request) ou demande de tirage (pull request) publique en TypeScript qui a été fusionnée.',
      'Un court texte (150 mots ou moins) décrivant comment vous évitez que des renseignements personnels se retrouvent dans les journaux d’une application.',
    ],
    acceptance: [
      'Les tests du module réussissent dans le pipeline GitLab et couvrent l’envoi, les nouvelles tentatives, les requêtes non valides et les deux langues.',
      'Un test démontre qu’aucune adresse courriel ni aucun numéro de téléphone n’apparaît dans les journaux.',
      'Le fichier README explique, en français et en anglais, comment installer, configurer et utiliser le module.',
      'Chaque fichier source comporte l’en-tête de la licence Apache-2.0, et les travaux sont fusionnés dans la branche principale.',
    ],
  },
};

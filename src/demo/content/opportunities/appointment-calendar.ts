import type { DemoOpportunity } from '../types.ts';

export const appointmentCalendar: DemoOpportunity = {
  department: 'ESDC',
  // Accepted and invoiced: the invoice waits in the section 34 queue.
  reaches: 'awarded',
  timing: { opensInDays: -41, closesInDays: -20, deliveryWeeks: 3 },
  repositoryUrl: 'https://github.com/esdc-edsc/appointment-booking',
  sourceLanguage: 'fr',
  licence: 'MIT',
  priceCents: 320_000,
  costCentre: '103480',
  paymentMethod: 'card_direct',
  contract: {
    reaches: 'invoiced',
    deliversAfterDays: 10,
    notes:
      'Le fichier iCalendar est joint au courriel de confirmation et offert sur la page du rendez-vous. Les tests couvrent l’heure avancée et les deux langues.',
  },
  applications: [
    {
      supplier: 'genevieve@supplier.example.com',
      answers: [
        'J’ai ajouté l’exportation iCalendar au calendrier public de ma municipalité, avec la bibliothèque ical-generator; le code est public.',
      ],
      link: 'https://github.com/genevieve-paquette',
      submitted: true,
      passes: true,
    },
    {
      supplier: 'etienne@supplier.example.com',
      answers: ['J’ai conçu plusieurs sites Web pour des organismes communautaires.'],
      link: 'https://github.com/etienne-cote',
      submitted: true,
      passes: false,
    },
  ],
  en: {
    title: 'Calendar file for booked appointments',
    summary:
      'Let a person who books an appointment at a Service Canada office add it to their calendar: an iCalendar file attached to the confirmation email and offered on the appointment page.',
    description: [
      {
        heading: 'Background',
        body: [
          'Our open-source appointment booking tool sends a confirmation email with the date, time and address of the appointment. Many people then copy it into their calendar by hand, and some get the time wrong.',
        ],
      },
      {
        heading: 'What we need',
        body: [
          [
            'An iCalendar (.ics) file for each appointment, in the language of the booking, with the office’s address.',
            'The file attached to the confirmation email and a link to download it on the appointment page.',
            'Automated tests, including an appointment on the day the clocks change.',
          ],
        ],
      },
    ],
    skills: ['Node.js', 'iCalendar (RFC 5545)', 'Automated testing'],
    mandatory: [
      'Link to public code you wrote that produces iCalendar files.',
      'Link to public automated tests you wrote that deal with time zones.',
    ],
    acceptance: [
      'The confirmation email carries an .ics file that opens in Outlook, Google Calendar and Apple Calendar at the right time.',
      'An appointment on the day the clocks change is at the right time in the file, as the tests show.',
      'The work is delivered as a pull request under the MIT licence.',
    ],
  },
  fr: {
    title: 'Fichier de calendrier pour les rendez-vous pris',
    summary:
      'Permettre à la personne qui prend rendez-vous dans un bureau de Service Canada de l’ajouter à son calendrier grâce à un fichier iCalendar joint au courriel de confirmation et offert sur la page du rendez-vous.',
    description: [
      {
        heading: 'Contexte',
        body: [
          'Notre outil de prise de rendez-vous à code source ouvert envoie un courriel de confirmation qui indique la date, l’heure et l’adresse du rendez-vous. Beaucoup de personnes le recopient ensuite à la main dans leur calendrier, et certaines se trompent d’heure.',
        ],
      },
      {
        heading: 'Ce dont nous avons besoin',
        body: [
          [
            'Un fichier iCalendar (.ics) pour chaque rendez-vous, dans la langue de la réservation, avec l’adresse du bureau.',
            'Le fichier joint au courriel de confirmation et un lien pour le télécharger sur la page du rendez-vous.',
            'Des tests automatisés, y compris pour un rendez-vous le jour du changement d’heure.',
          ],
        ],
      },
    ],
    skills: ['Node.js', 'iCalendar (RFC 5545)', 'Tests automatisés'],
    mandatory: [
      'Lien vers du code public que vous avez écrit et qui produit des fichiers iCalendar.',
      'Lien vers des tests automatisés publics que vous avez écrits et qui traitent des fuseaux horaires.',
    ],
    acceptance: [
      'Le courriel de confirmation contient un fichier .ics qui s’ouvre à la bonne heure dans Outlook, Google Agenda et Calendrier d’Apple.',
      'Un rendez-vous le jour du changement d’heure est à la bonne heure dans le fichier, comme le montrent les tests.',
      'Les travaux sont livrés dans une demande de tirage (pull request), sous licence MIT.',
    ],
  },
};

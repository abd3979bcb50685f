import type { DemoOpportunity } from '../types.ts';

export const azureMarketplacePolicies: DemoOpportunity = {
  // The pilot's only real opportunity (seeds/002 and the pilot site): posted on June 23, 2021,
  // deadline pushed back a week, awarded, then terminated for non-delivery without payment:
  // 4 applications, only 1 met the mandatory criteria, so the work could not go to another
  // applicant and the client chose not to re-post it. Here it is awarded, then terminated two
  // weeks after its due date and ended (funds asked back), as the pilot's was.
  department: 'ESDC',
  reaches: 'awarded',
  termination: {
    daysAfterDue: 14,
    reason:
      'Nothing was delivered by the due date and the supplier did not answer our messages. The contract ends without payment; the work will not be re-posted.',
    lang: 'en',
  },
  timing: { opensOn: '2021-06-23', closesOn: '2021-07-12', deliveryDueOn: '2021-07-23' },
  repositoryUrl: 'https://github.com/esdc-edsc/azure-marketplace-policies',
  sourceLanguage: 'en',
  licence: 'MIT',
  priceCents: 650_000,
  costCentre: '105120',
  paymentMethod: 'card_direct',
  // Annex A of the close-out report: 23 days to write it + 2 for the form; 4 for section 32
  // and 3 for the fund reservation; 4 to translate; 2 to prepare the page.
  preparationDays: [25, 1, 7, 4, 2],
  addendum: {
    daysAfterOpening: 7,
    extensionDays: 7,
    reason: {
      en: 'Suppliers have one more week to prepare their application.',
      fr: 'Les fournisseurs disposent ainsi d’une semaine de plus pour préparer leur demande.',
    },
  },
  applications: [
    {
      supplier: 'ada@supplier.example.com',
      answers: [
        'I gained my Azure Policy skills administering the Azure subscriptions of a non-profit since 2019: I wrote custom policy definitions that deny public storage accounts and audit resource tags, assigned them through initiatives, and reviewed compliance reports every month. My runbook in Azure Automation, written in PowerShell, stops the development virtual machines every evening and reports the ones without an owner tag; it is in my public repository.',
      ],
      link: 'https://github.com/ada-nakamura',
      submitted: true,
      passes: true,
    },
    {
      supplier: 'etienne@supplier.example.com',
      answers: [
        'J’ai acquis mes compétences en Azure Policy lors d’un stage en 2020, où j’ai écrit des définitions de stratégie qui limitent les régions permises et imposent le chiffrement des disques. Mon script PowerShell, exécuté comme runbook Azure Automation, applique chaque nuit les étiquettes manquantes aux groupes de ressources; il se trouve dans mon dépôt public.',
      ],
      link: 'https://github.com/etienne-cote',
      submitted: true,
      passes: true,
    },
  ],
  en: {
    title: 'Azure marketplace policies',
    summary:
      'Develop PowerShell scripts that set custom Azure policies so that ESDC clients can install paid third-party offerings from the private Azure Marketplace only once they have financial approval.',
    description: [
      {
        heading: 'Background',
        body: [
          "The work in this opportunity is requested by ESDC's Cloud Operations team. It is part of the ongoing maintenance and configuration management of ESDC's Azure environment: the scripts will be integrated into existing systems.",
          "ESDC's Azure instances use a hub-and-spoke model: the hub provides common services to the spokes, and each ESDC client is identified by an Azure subscription (at first, by a resource group). Clients can use first-party (Microsoft) and third-party offerings from Azure Marketplace. Most first-party offerings are approved by default. Third-party offerings must be approved by the administrator and by government organizations outside ESDC before they are added to ESDC's private marketplace; 45 have been approved so far, and the list changes over time. Everyone at ESDC sees the same private marketplace.",
          "A client who wants to use a third-party offering whose price starts above $0.00 must first get financial approval. Azure's built-in policies cannot stop a client from installing an offering once it is in the private marketplace, whether or not the client has that approval.",
        ],
      },
      {
        heading: 'What we need',
        body: [
          'You must provide:',
          [
            'PowerShell scripts that create the JSON for a custom Azure policy that prevents all ESDC Azure clients from installing any third-party Marketplace offering (including the private marketplace) whose price starts above $0.00 per hour;',
            'a filter in those scripts that allows or denies offerings by publisher, offer and plan, with wildcards;',
            'a rule that lets only the clients with financial approval for an approved offering install it;',
            'for clients without that approval, this message in the language of their interface: "You must seek financial approval to use this Azure Marketplace offering before you can install it.";',
            'documentation, both comments in the code and a separate document, that explains how the scripts work and the business rules they apply.',
          ],
        ],
      },
      {
        heading: 'Good to know',
        body: [
          "Sending the client's financial approval to the Cloud Operations team is not part of this work. The successful supplier will get access to an unsecured Azure sandbox, already set up with subscriptions and private marketplace offerings, to run the functional tests.",
        ],
      },
    ],
    skills: ['Azure Policy', 'Azure Automation runbooks', 'PowerShell'],
    mandatory: [
      'A short written statement (250 words or less) showing that you have the required skills in Azure Policy: when you gained them, what you did and how you did it (for example, previous work, school work or civic tech projects).',
      'In the same statement, an example of an Azure Automation runbook, or another PowerShell script, that you wrote to manage Azure resources.',
    ],
    acceptance: [
      'The source code meets every requirement in the description and is delivered under the MIT licence.',
      'The scripts pass PowerShell Script Analyzer with all default rules; any warning that is suppressed is listed in the documentation with a justification.',
      'In the Azure sandbox, the functional tests pass: a client with financial approval for an approved offering can install it; a client without that approval cannot; approval for one offering does not allow installing another; a newly approved offering is blocked until the client has financial approval.',
      'The documentation describes the logic and business rules of each script, and variable names are descriptive.',
    ],
  },
  fr: {
    title: 'Politiques de la Place de marché Azure',
    summary:
      'Élaborer des scripts PowerShell qui établissent des politiques Azure personnalisées afin que les clients d’EDSC ne puissent installer les offres payantes de tiers de la place de marché privée Azure qu’après avoir obtenu l’approbation financière.',
    description: [
      {
        heading: 'Contexte',
        body: [
          'L’équipe des Opérations infonuagiques d’EDSC demande les travaux visés par cette occasion. Ils s’inscrivent dans la maintenance et la gestion continues de la configuration de l’environnement Azure d’EDSC : les scripts seront intégrés aux systèmes existants.',
          'Les instances Azure d’EDSC reposent sur un modèle en étoile : le carrefour fournit des services communs aux rayons, et chaque client d’EDSC est identifié par un abonnement Azure (au départ, par un groupe de ressources). Les clients peuvent utiliser les offres de Microsoft et celles de tiers dans la Place de marché Azure. La plupart des offres de Microsoft sont approuvées par défaut. Les offres de tiers doivent être approuvées par l’administrateur et par des organismes gouvernementaux externes à EDSC avant d’être ajoutées à la place de marché privée d’EDSC; 45 offres ont été approuvées à ce jour, et la liste évolue au fil du temps. Tout le monde à EDSC voit la même place de marché privée.',
          'Le client qui souhaite utiliser une offre de tiers dont le prix de départ dépasse 0,00 $ doit d’abord obtenir l’approbation financière. Les politiques intégrées d’Azure ne peuvent pas empêcher un client d’installer une offre qui se trouve dans la place de marché privée, qu’il ait obtenu cette approbation ou non.',
        ],
      },
      {
        heading: 'Ce dont nous avons besoin',
        body: [
          'Vous devez fournir :',
          [
            'des scripts PowerShell qui créent le fichier JSON d’une politique Azure personnalisée empêchant tous les clients Azure d’EDSC d’installer une offre de tiers de la place de marché (y compris la place de marché privée) dont le prix de départ dépasse 0,00 $ l’heure;',
            'un filtre, dans ces scripts, qui autorise ou refuse les offres selon l’éditeur, l’offre et le plan, avec caractères génériques;',
            'une règle qui permet seulement aux clients ayant obtenu l’approbation financière pour une offre approuvée de l’installer;',
            'pour les clients qui n’ont pas cette approbation, le message suivant, dans la langue de leur interface : « Vous devez obtenir l’approbation financière pour utiliser cette offre de la Place de marché Azure avant de pouvoir l’installer. »;',
            'de la documentation (commentaires dans le code et document distinct) qui explique le fonctionnement des scripts et les règles opérationnelles qu’ils appliquent.',
          ],
        ],
      },
      {
        heading: 'Bon à savoir',
        body: [
          'La transmission de l’approbation financière du client à l’équipe des Opérations infonuagiques ne fait pas partie des travaux. Le fournisseur retenu aura accès à un bac à sable Azure non sécurisé, déjà rempli d’abonnements et d’offres de la place de marché privée, pour effectuer les essais fonctionnels.',
        ],
      },
    ],
    skills: ['Azure Policy', 'Runbooks Azure Automation', 'PowerShell'],
    mandatory: [
      'Une courte déclaration écrite (250 mots ou moins) démontrant que vous possédez les compétences requises relativement à Azure Policy : quand vous les avez acquises, ce que vous avez fait et comment vous l’avez fait (p. ex. expérience de travail antérieure, travaux scolaires ou projets de technologie civique).',
      'Dans la même déclaration, un exemple de runbook Azure Automation, ou d’un autre script PowerShell, que vous avez écrit pour gérer des ressources Azure.',
    ],
    acceptance: [
      'Le code source satisfait à toutes les exigences de la description et est livré sous licence MIT.',
      'Les scripts réussissent l’analyse de PowerShell Script Analyzer avec toutes les règles par défaut; tout avertissement supprimé figure dans la documentation, accompagné d’une justification.',
      'Dans le bac à sable Azure, les essais fonctionnels réussissent : un client ayant obtenu l’approbation financière pour une offre approuvée peut l’installer; un client qui ne l’a pas obtenue ne le peut pas; l’approbation pour une offre ne permet pas d’en installer une autre; une offre nouvellement approuvée est bloquée tant que le client n’a pas obtenu l’approbation financière.',
      'La documentation décrit la logique et les règles opérationnelles de chaque script, et les noms de variables sont descriptifs.',
    ],
  },
};

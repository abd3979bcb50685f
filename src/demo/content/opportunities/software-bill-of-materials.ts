import type { DemoOpportunity } from '../types.ts';

export const softwareBillOfMaterials: DemoOpportunity = {
  department: 'ESDC',
  // Awaits the evaluation, draw and award actions of the next issues, which take it on to
  // `awarded`; until then it stops at `closed`.
  reaches: 'awarded',
  timing: { opensInDays: -28, closesInDays: -7, deliveryWeeks: 5 },
  repositoryUrl: 'https://github.com/esdc-edsc/ci-templates',
  sourceLanguage: 'en',
  licence: 'MIT',
  priceCents: 390_000,
  costCentre: '103450',
  paymentMethod: 'paypal_payout',
  applications: [
    {
      supplier: 'etienne@supplier.example.com',
      answers: [
        'Mon flux GitHub Actions « publier-paquet » est utilisé par six dépôts publics de mon association de données ouvertes.',
        'Ma demande de tirage au projet pip-audit, fusionnée en 2025, corrige la lecture des fichiers de dépendances.',
        'Une nomenclature logicielle dresse la liste de chaque composant d’un logiciel et de sa version, pour savoir vite si une vulnérabilité nous touche.',
      ],
      link: 'https://github.com/etienne-cote',
      submitted: true,
      passes: true,
    },
    {
      supplier: 'noor@supplier.example.com',
      answers: [
        'My workflow that builds and signs container images is used in the public repositories of two civic tech groups.',
        'My pull request to an npm project, eslint-plugin-jsx-a11y, was merged in 2024.',
        'A software bill of materials lists every component of a piece of software and its version, so a team can tell quickly whether a vulnerability affects it.',
      ],
      link: 'https://github.com/noor-rahman',
      submitted: true,
      passes: true,
    },
  ],
  en: {
    title: 'Software bill of materials in our continuous integration templates',
    summary:
      "Add a step to ESDC's shared GitHub Actions workflows that produces a CycloneDX software bill of materials (SBOM) for each release and attaches it to the release.",
    description: [
      {
        heading: 'Background',
        body: [
          'ESDC teams that work in the open reuse a set of shared GitHub Actions workflows to build, test and release their applications. Our security team now asks for a software bill of materials (SBOM) for every release, so that we can quickly find which applications use a library when a vulnerability is announced.',
          'Today, teams produce these by hand, in different formats, when they remember to.',
        ],
      },
      {
        heading: 'What we need',
        body: [
          [
            'A reusable workflow step that produces a CycloneDX SBOM (JSON) for Node.js, Python and Java (Maven) projects.',
            'The SBOM attached to each GitHub release, with a file name that includes the version.',
            'An option to fail the workflow when a dependency has a licence that is not on a configurable allow list.',
            'Documentation on how a team turns the step on in its repository.',
          ],
        ],
      },
      {
        heading: 'Good to know',
        body: [
          'Use existing open-source tools, such as the CycloneDX generators, rather than writing a new one. The workflows must keep working for teams that do not turn on the new step.',
        ],
      },
    ],
    skills: [
      'GitHub Actions',
      'CycloneDX',
      'Node.js, Python and Maven builds',
      'Open-source licences',
    ],
    mandatory: [
      'Link to a GitHub Actions workflow you wrote that is used in at least one public repository.',
      'Link to at least one public pull request, merged in a project built with npm, pip or Maven.',
      'A short statement (150 words or less) explaining what a software bill of materials is used for.',
    ],
    acceptance: [
      'The 3 sample projects in the repository (Node.js, Python, Maven) each produce a valid CycloneDX SBOM, checked by the CycloneDX command-line tool in the workflow.',
      'The licence check fails on the sample project that has a dependency outside the allow list, and passes on the others.',
      'The documentation is available in English and French.',
      'The work is delivered as a merged pull request under the MIT licence.',
    ],
  },
  fr: {
    title: 'Nomenclature logicielle dans nos modèles d’intégration continue',
    summary:
      'Ajouter aux flux de travail GitHub Actions communs d’EDSC une étape qui produit une nomenclature logicielle (SBOM) au format CycloneDX pour chaque version publiée et la joint à celle-ci.',
    description: [
      {
        heading: 'Contexte',
        body: [
          'Les équipes d’EDSC qui travaillent en mode ouvert réutilisent un ensemble de flux de travail GitHub Actions communs pour compiler, tester et publier leurs applications. Notre équipe de la sécurité exige désormais une nomenclature logicielle (SBOM) pour chaque version publiée, afin de savoir rapidement quelles applications utilisent une bibliothèque lorsqu’une vulnérabilité est annoncée.',
          'À l’heure actuelle, les équipes produisent ces nomenclatures à la main, dans des formats différents, quand elles y pensent.',
        ],
      },
      {
        heading: 'Ce dont nous avons besoin',
        body: [
          [
            'Une étape de flux de travail réutilisable qui produit une nomenclature CycloneDX (JSON) pour les projets Node.js, Python et Java (Maven).',
            'La nomenclature jointe à chaque version publiée dans GitHub, sous un nom de fichier qui comprend le numéro de version.',
            'Une option pour faire échouer le flux de travail lorsqu’une dépendance est assujettie à une licence qui ne figure pas dans une liste d’autorisation paramétrable.',
            'De la documentation expliquant comment une équipe active cette étape dans son dépôt.',
          ],
        ],
      },
      {
        heading: 'Bon à savoir',
        body: [
          'Utilisez des outils à code source ouvert existants, comme les générateurs CycloneDX, plutôt que d’en écrire un nouveau. Les flux de travail doivent continuer de fonctionner pour les équipes qui n’activent pas la nouvelle étape.',
        ],
      },
    ],
    skills: [
      'GitHub Actions',
      'CycloneDX',
      'Compilation avec Node.js, Python et Maven',
      'Licences de source ouverte',
    ],
    mandatory: [
      'Lien vers un flux de travail GitHub Actions que vous avez écrit et qui est utilisé dans au moins un dépôt public.',
      'Lien vers au moins une demande de tirage publique, fusionnée dans un projet compilé avec npm, pip ou Maven.',
      'Un court texte (150 mots ou moins) expliquant à quoi sert une nomenclature logicielle.',
    ],
    acceptance: [
      'Les trois projets d’exemple du dépôt (Node.js, Python, Maven) produisent chacun une nomenclature CycloneDX valide, vérifiée par l’outil en ligne de commande CycloneDX dans le flux de travail.',
      'La vérification des licences échoue pour le projet d’exemple qui comprend une dépendance absente de la liste d’autorisation, et réussit pour les autres.',
      'La documentation est offerte en français et en anglais.',
      'Les travaux sont livrés dans une demande de tirage (pull request) fusionnée, sous licence MIT.',
    ],
  },
};

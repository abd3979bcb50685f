import type { Lang } from './i18n.ts';

/**
 * Every page, declared once with its English and French path. Links are built from here with
 * url(); the language toggle links to the same page name in the other language.
 */
export const pages = {
  home: { en: '/en', fr: '/fr' },
  opportunities: { en: '/en/opportunities', fr: '/fr/occasions' },
  opportunity: { en: '/en/opportunities/:ref', fr: '/fr/occasions/:ref' },
  supplierGuide: { en: '/en/supplier-guide', fr: '/fr/guide-du-fournisseur' },
  about: { en: '/en/about', fr: '/fr/a-propos' },
  privacy: { en: '/en/privacy', fr: '/fr/confidentialite' },
  // Metrics: the public summary, the staff version (department, fiscal year) and its CSV.
  metrics: { en: '/en/metrics', fr: '/fr/mesures' },
  staffMetrics: { en: '/en/staff/metrics', fr: '/fr/personnel/mesures' },
  cycleTimesCsv: {
    en: '/en/staff/metrics/cycle-times.csv',
    fr: '/fr/personnel/mesures/durees-des-etapes.csv',
  },
  // The staff exports, for the same department and fiscal year as the staff page.
  opportunitiesExportCsv: {
    en: '/en/staff/metrics/opportunities.csv',
    fr: '/fr/personnel/mesures/occasions.csv',
  },
  applicationsExportCsv: {
    en: '/en/staff/metrics/applications.csv',
    fr: '/fr/personnel/mesures/demandes.csv',
  },
  paymentsExportCsv: {
    en: '/en/staff/metrics/payments.csv',
    fr: '/fr/personnel/mesures/paiements.csv',
  },
  quartersExportCsv: {
    en: '/en/staff/metrics/low-dollar-value-contracts-by-quarter.csv',
    fr: '/fr/personnel/mesures/contrats-de-faible-valeur-par-trimestre.csv',
  },
  emailPreview: { en: '/en/email-preview', fr: '/fr/apercu-des-courriels' },
  failedEmails: { en: '/en/admin/failed-emails', fr: '/fr/admin/courriels-non-envoyes' },
  retryFailedEmail: {
    en: '/en/admin/failed-emails/:id/retry',
    fr: '/fr/admin/courriels-non-envoyes/:id/renvoyer',
  },
  retryAllFailedEmails: {
    en: '/en/admin/failed-emails/retry-all',
    fr: '/fr/admin/courriels-non-envoyes/tout-renvoyer',
  },
  signIn: { en: '/en/sign-in', fr: '/fr/connexion' },
  signOut: { en: '/en/sign-out', fr: '/fr/deconnexion' },
  signUp: { en: '/en/create-account', fr: '/fr/creer-un-compte' },
  checkEmail: { en: '/en/check-your-email', fr: '/fr/verifiez-vos-courriels' },
  confirmEmail: { en: '/en/confirm-email/:token', fr: '/fr/confirmer-courriel/:token' },
  forgotPassword: { en: '/en/forgot-password', fr: '/fr/mot-de-passe-oublie' },
  resetPassword: { en: '/en/reset-password/:token', fr: '/fr/reinitialiser-mot-de-passe/:token' },
  account: { en: '/en/account', fr: '/fr/compte' },
  staffSignIn: { en: '/en/staff-sign-in', fr: '/fr/connexion-personnel' },
  staffSignInCallback: {
    en: '/en/staff-sign-in/callback',
    fr: '/fr/connexion-personnel/retour',
  },
  githubSignIn: { en: '/en/sign-in/github', fr: '/fr/connexion/github' },
  githubCallback: { en: '/en/sign-in/github/callback', fr: '/fr/connexion/github/retour' },
  profile: { en: '/en/account/profile', fr: '/fr/compte/profil' },
  accountData: { en: '/en/account/my-data.json', fr: '/fr/compte/mes-donnees.json' },
  closeAccount: { en: '/en/account/close', fr: '/fr/compte/fermer' },
  linkGithub: { en: '/en/account/link-github', fr: '/fr/compte/lier-github' },
  adminDepartments: { en: '/en/admin/departments', fr: '/fr/admin/ministeres' },
  adminNewDepartment: { en: '/en/admin/new-department', fr: '/fr/admin/nouveau-ministere' },
  departmentAudit: {
    en: '/en/admin/departments/:dept/audit-log',
    fr: '/fr/admin/ministeres/:dept/journal-audit',
  },
  departmentAuditCsv: {
    en: '/en/admin/departments/:dept/audit-log.csv',
    fr: '/fr/admin/ministeres/:dept/journal-audit.csv',
  },
  opportunityAudit: {
    en: '/en/admin/opportunities/:ref/audit-log',
    fr: '/fr/admin/occasions/:ref/journal-audit',
  },
  opportunityAuditCsv: {
    en: '/en/admin/opportunities/:ref/audit-log.csv',
    fr: '/fr/admin/occasions/:ref/journal-audit.csv',
  },
  adminDepartment: { en: '/en/admin/departments/:dept', fr: '/fr/admin/ministeres/:dept' },
  adminStaff: {
    en: '/en/admin/departments/:dept/staff',
    fr: '/fr/admin/ministeres/:dept/personnel',
  },
  acceptInvitation: {
    en: '/en/accept-invitation/:token',
    fr: '/fr/accepter-invitation/:token',
  },
  // The mailing list: subscribe (double opt-in), confirm, unsubscribe (one click, RFC 8058).
  subscribe: { en: '/en/mailing-list', fr: '/fr/liste-de-diffusion' },
  subscriptionCheckEmail: {
    en: '/en/mailing-list/check-your-email',
    fr: '/fr/liste-de-diffusion/verifiez-vos-courriels',
  },
  confirmSubscription: {
    en: '/en/mailing-list/confirm/:token',
    fr: '/fr/liste-de-diffusion/confirmer/:token',
  },
  unsubscribe: {
    en: '/en/mailing-list/unsubscribe/:token',
    fr: '/fr/liste-de-diffusion/desabonnement/:token',
  },
  profileMailingList: { en: '/en/account/mailing-list', fr: '/fr/compte/liste-de-diffusion' },
  // Suppliers on a published opportunity.
  askQuestion: { en: '/en/opportunities/:ref/questions', fr: '/fr/occasions/:ref/questions' },
  watchOpportunity: { en: '/en/opportunities/:ref/watch', fr: '/fr/occasions/:ref/suivre' },
  // The link in watchers' emails: stops watching without signing in.
  unwatch: { en: '/en/unwatch/:token', fr: '/fr/ne-plus-suivre/:token' },
  // The draw's public record: commitment, fingerprints, secret, order; and as JSON to verify.
  drawResults: { en: '/en/opportunities/:ref/draw', fr: '/fr/occasions/:ref/tirage' },
  drawResultsJson: {
    en: '/en/opportunities/:ref/draw.json',
    fr: '/fr/occasions/:ref/tirage.json',
  },
  // Open data: the feed of opportunities, each one's closing date for a calendar, the awarded
  // contracts for proactive disclosure, and the page that lists them with the API.
  opportunitiesFeed: { en: '/en/opportunities.atom', fr: '/fr/occasions.atom' },
  opportunityCalendar: {
    en: '/en/opportunities/:ref/closing.ics',
    fr: '/fr/occasions/:ref/cloture.ics',
  },
  awardedContractsCsv: { en: '/en/awarded-contracts.csv', fr: '/fr/contrats-attribues.csv' },
  openData: { en: '/en/open-data', fr: '/fr/donnees-ouvertes' },
  // The supplier's own application to it: optional self-identification, and feedback.
  selfIdentification: {
    en: '/en/opportunities/:ref/self-identification',
    fr: '/fr/occasions/:ref/auto-identification',
  },
  feedback: { en: '/en/opportunities/:ref/feedback', fr: '/fr/occasions/:ref/retroaction' },
  // Suppliers' applications: "Apply" on an open opportunity, then their own application pages.
  apply: { en: '/en/opportunities/:ref/apply', fr: '/fr/occasions/:ref/presenter-une-demande' },
  myApplications: { en: '/en/account/applications', fr: '/fr/compte/demandes' },
  application: { en: '/en/account/applications/:id', fr: '/fr/compte/demandes/:id' },
  applicationConfirmation: {
    en: '/en/account/applications/:id/confirmation',
    fr: '/fr/compte/demandes/:id/confirmation',
  },
  // Staff: each role's queue of what awaits them.
  workQueues: { en: '/en/work-queues', fr: '/fr/a-traiter' },
  queueDigest: { en: '/en/work-queues/digest', fr: '/fr/a-traiter/resume' },
  // Clients: the guided request form (save and come back; one step per page).
  requests: { en: '/en/requests', fr: '/fr/demandes-d-occasion' },
  newRequest: { en: '/en/requests/new', fr: '/fr/demandes-d-occasion/nouvelle' },
  taxSummary: { en: '/en/requests/tax-summary', fr: '/fr/demandes-d-occasion/sommaire-des-taxes' },
  requestStep: {
    en: '/en/requests/:ref/step/:step',
    fr: '/fr/demandes-d-occasion/:ref/etape/:step',
  },
  requestReview: {
    en: '/en/requests/:ref/review',
    fr: '/fr/demandes-d-occasion/:ref/verification',
  },
  // Staff and the client: one request, its history and what can be done next.
  request: { en: '/en/requests/:ref', fr: '/fr/demandes-d-occasion/:ref' },
  screenRequest: {
    en: '/en/requests/:ref/screening',
    fr: '/fr/demandes-d-occasion/:ref/examen',
  },
  approveFunds: {
    en: '/en/requests/:ref/section-32',
    fr: '/fr/demandes-d-occasion/:ref/article-32',
  },
  // Segregation of duties: the person refused asks; a second person confirms.
  proposeOverride: {
    en: '/en/requests/:ref/section-32/override',
    fr: '/fr/demandes-d-occasion/:ref/article-32/derogation',
  },
  confirmOverride: {
    en: '/en/requests/:ref/overrides/:override',
    fr: '/fr/demandes-d-occasion/:ref/derogations/:override',
  },
  releaseFunds: {
    en: '/en/requests/:ref/release-funds',
    fr: '/fr/demandes-d-occasion/:ref/liberer-les-fonds',
  },
  cancelRequest: {
    en: '/en/requests/:ref/cancel',
    fr: '/fr/demandes-d-occasion/:ref/annuler',
  },
  translation: {
    en: '/en/requests/:ref/translation',
    fr: '/fr/demandes-d-occasion/:ref/traduction',
  },
  preview: { en: '/en/preview/:token', fr: '/fr/apercu/:token' },
  approvePreview: {
    en: '/en/requests/:ref/approve-preview',
    fr: '/fr/demandes-d-occasion/:ref/approuver-l-apercu',
  },
  publish: {
    en: '/en/requests/:ref/publish',
    fr: '/fr/demandes-d-occasion/:ref/publier',
  },
  answerQuestions: {
    en: '/en/requests/:ref/questions',
    fr: '/fr/demandes-d-occasion/:ref/questions',
  },
  addendum: {
    en: '/en/requests/:ref/addendum',
    fr: '/fr/demandes-d-occasion/:ref/addenda',
  },
  // After closing: the anonymised evaluation, its evaluators, consensus and lock.
  evaluation: {
    en: '/en/requests/:ref/evaluation',
    fr: '/fr/demandes-d-occasion/:ref/evaluation',
  },
  evaluationApplicant: {
    en: '/en/requests/:ref/evaluation/applicants/:applicant',
    fr: '/fr/demandes-d-occasion/:ref/evaluation/candidats/:applicant',
  },
  evaluationDeclaration: {
    en: '/en/requests/:ref/evaluation/declaration',
    fr: '/fr/demandes-d-occasion/:ref/evaluation/declaration',
  },
  evaluationEvaluators: {
    en: '/en/requests/:ref/evaluation/evaluators',
    fr: '/fr/demandes-d-occasion/:ref/evaluation/evaluateurs',
  },
  evaluationReturn: {
    en: '/en/requests/:ref/evaluation/return',
    fr: '/fr/demandes-d-occasion/:ref/evaluation/renvoi',
  },
  evaluationConsensus: {
    en: '/en/requests/:ref/evaluation/consensus',
    fr: '/fr/demandes-d-occasion/:ref/evaluation/consensus',
  },
  evaluationLock: {
    en: '/en/requests/:ref/evaluation/lock',
    fr: '/fr/demandes-d-occasion/:ref/evaluation/verrouillage',
  },
  // The offer of a contract to a supplier drawn, and the terms they accept.
  offer: { en: '/en/offers/:id', fr: '/fr/offres/:id' },
  acceptOffer: { en: '/en/offers/:id/accept', fr: '/fr/offres/:id/accepter' },
  declineOffer: { en: '/en/offers/:id/decline', fr: '/fr/offres/:id/refuser' },
  // The contract under way, shared by its supplier and the client: messages, check-in, extension,
  // termination for non-delivery.
  contract: { en: '/en/contracts/:id', fr: '/fr/contrats/:id' },
  contractMessages: { en: '/en/contracts/:id/messages', fr: '/fr/contrats/:id/messages' },
  contractCheckIn: { en: '/en/contracts/:id/check-in', fr: '/fr/contrats/:id/point-d-etape' },
  contractExtension: { en: '/en/contracts/:id/extension', fr: '/fr/contrats/:id/prolongation' },
  contractTermination: { en: '/en/contracts/:id/termination', fr: '/fr/contrats/:id/resiliation' },
  // Delivery of the work by the supplier, in rounds, and the client's review of each round.
  contractDelivery: { en: '/en/contracts/:id/delivery', fr: '/fr/contrats/:id/livraison' },
  contractReview: { en: '/en/contracts/:id/review', fr: '/fr/contrats/:id/examen' },
  // The supplier's invoice for the accepted work: generated, previewed (bilingual), submitted,
  // corrected when returned; its PDF for the supplier and the department's finance roles.
  invoice: { en: '/en/contracts/:id/invoice', fr: '/fr/contrats/:id/facture' },
  invoicePreview: {
    en: '/en/contracts/:id/invoice/preview',
    fr: '/fr/contrats/:id/facture/apercu',
  },
  invoicePdf: { en: '/en/contracts/:id/invoice.pdf', fr: '/fr/contrats/:id/facture.pdf' },
  terms: { en: '/en/terms', fr: '/fr/modalites' },
  adminTerms: { en: '/en/admin/terms', fr: '/fr/admin/modalites' },
  // Section 34: the manager's queue of invoices, one evidence page per invoice, its steps.
  certificationQueue: { en: '/en/admin/certification', fr: '/fr/admin/attestation' },
  certificationEvidence: {
    en: '/en/admin/certification/:ref',
    fr: '/fr/admin/attestation/:ref',
  },
  certifyInvoice: {
    en: '/en/admin/certification/:ref/certify',
    fr: '/fr/admin/attestation/:ref/attester',
  },
  returnInvoice: {
    en: '/en/admin/certification/:ref/return',
    fr: '/fr/admin/attestation/:ref/renvoyer',
  },
  certificationOverride: {
    en: '/en/admin/certification/:ref/override',
    fr: '/fr/admin/attestation/:ref/derogation',
  },
  // Finance: the reservations still held on opportunities that no longer need them.
  fundsToRelease: { en: '/en/admin/funds-to-release', fr: '/fr/admin/fonds-a-liberer' },
  releaseHeldFunds: {
    en: '/en/admin/funds-to-release/:ref',
    fr: '/fr/admin/fonds-a-liberer/:ref',
  },
  // No qualified applicant: the client re-posts it as a new draft.
  repostRequest: {
    en: '/en/requests/:ref/repost',
    fr: '/fr/demandes-d-occasion/:ref/republier',
  },
  // Section 33 by acquisition card (src/payments/): finance's queue, an invoice's payment page,
  // the department's cards and each card's monthly statement; the supplier's payment page.
  paymentsQueue: { en: '/en/admin/payments', fr: '/fr/admin/paiements' },
  invoicePayment: { en: '/en/admin/payments/:invoice', fr: '/fr/admin/paiements/:invoice' },
  payByCard: {
    en: '/en/admin/payments/:invoice/card',
    fr: '/fr/admin/paiements/:invoice/carte',
  },
  acquisitionCards: {
    en: '/en/admin/departments/:dept/cards',
    fr: '/fr/admin/ministeres/:dept/cartes',
  },
  cardStatement: {
    en: '/en/admin/card-statements/:card/:month',
    fr: '/fr/admin/releves-de-carte/:card/:month',
  },
  cardStatementCsv: {
    en: '/en/admin/card-statements/:card/:month/payments.csv',
    fr: '/fr/admin/releves-de-carte/:card/:month/paiements.csv',
  },
  matchStatementLine: {
    en: '/en/admin/card-statements/:card/:month/match',
    fr: '/fr/admin/releves-de-carte/:card/:month/rapprochement',
  },
  supplierPayment: { en: '/en/contracts/:id/payment', fr: '/fr/contrats/:id/paiement' },
  confirmReceipt: {
    en: '/en/contracts/:id/payment/received',
    fr: '/fr/contrats/:id/paiement/recu',
  },
  // Section 33 by PayPal payout (src/payments/paypal/): finance pays, follows, cancels unclaimed.
  paypalPayout: {
    en: '/en/admin/payments/:invoice/paypal',
    fr: '/fr/admin/paiements/:invoice/paypal',
  },
  cancelPaypalPayout: {
    en: '/en/admin/payments/:invoice/paypal/cancel',
    fr: '/fr/admin/paiements/:invoice/paypal/annuler',
  },
  retryPaypalPayout: {
    en: '/en/admin/payments/:invoice/paypal/retry',
    fr: '/fr/admin/paiements/:invoice/paypal/reessayer',
  },
} as const satisfies Record<string, Record<Lang, string>>;

export type PageName = keyof typeof pages;
export type UrlParams = Record<string, string | number>;

/** The path of a page in a language, with its `:params` filled in and encoded. */
export function url(name: PageName, params: UrlParams = {}, lang: Lang): string {
  return pages[name][lang].replace(/:(\w+)/g, (_match, key: string) => {
    const value = params[key];
    if (value === undefined) throw new Error(`url(${name}): missing parameter ${key}`);
    return encodeURIComponent(String(value));
  });
}

/** The language a path belongs to, from its first segment, if any. */
export function langOfPath(path: string): Lang | undefined {
  const first = path.split('/')[1];
  return first === 'en' || first === 'fr' ? first : undefined;
}

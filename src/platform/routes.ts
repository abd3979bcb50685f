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
  emailPreview: { en: '/en/email-preview', fr: '/fr/apercu-des-courriels' },
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
  adminDepartments: { en: '/en/admin/departments', fr: '/fr/admin/ministeres' },
  adminDepartment: { en: '/en/admin/departments/:dept', fr: '/fr/admin/ministeres/:dept' },
  adminStaff: {
    en: '/en/admin/departments/:dept/staff',
    fr: '/fr/admin/ministeres/:dept/personnel',
  },
  acceptInvitation: {
    en: '/en/accept-invitation/:token',
    fr: '/fr/accepter-invitation/:token',
  },
} as const satisfies Record<string, Record<Lang, string>>;

export type PageName = keyof typeof pages;
export type UrlParams = Record<string, string | number>;

export function isPageName(name: string): name is PageName {
  return Object.hasOwn(pages, name);
}

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

import type { AppDeps } from '../platform/deps.ts';
import { keepValues, parseForm, secretFields } from '../platform/forms.ts';
import type { Translate } from '../platform/i18n.ts';
import type { Role } from '../platform/roles.ts';
import type { RouteDef } from '../platform/router.ts';
import { safeReturnPath } from '../platform/router.ts';
import { destroySession, sessionCookieName } from '../platform/sessions.ts';
import { githubSignInEnabled, hasGithub } from './github.ts';
import {
  confirmEmailForm,
  forgotPasswordForm,
  resetPasswordForm,
  signInForm,
  signUpForm,
  tokenParam,
} from './schemas.ts';
import {
  confirmationLinkWorks,
  confirmEmail,
  requestPasswordReset,
  resetLinkState,
  resetPassword,
  signUp,
  type SignInRefusal,
} from './service.ts';
import { authenticate, newAuthenticator } from './passport.ts';
import type { UserRow } from './repo.ts';
import { startSignedInSession } from './session.ts';
import { PASSWORD_STRATEGY, passwordStrategy, refusalOf } from './strategies/password.ts';

const QUARTER_HOUR = 15 * 60 * 1000;

/** The reset page when its link allows no new password. */
const refusedReset = {
  invalid: { view: { invalid: true }, status: 400 },
  departmentSignIn: { view: { departmentSignIn: true }, status: 403 },
} as const;

/** An account the sign-in page lists in development (the demo's, handed in by the app). */
export interface ListedAccount {
  email: string;
  roles?: readonly { role: Role; department?: string }[];
}

const refusalStatus: Record<SignInRefusal['reason'], number> = {
  invalid: 400,
  unconfirmed: 400,
  tooSoon: 429,
  departmentSignIn: 403,
};

function signInRefusalMessage(t: Translate, refusal: SignInRefusal): string {
  if (refusal.reason !== 'tooSoon') return t(`accounts.signIn.${refusal.reason}`);
  const minutes = Math.ceil(refusal.waitSeconds / 60);
  return refusal.waitSeconds < 60
    ? t('accounts.signIn.tooSoonSeconds', { count: refusal.waitSeconds })
    : t('accounts.signIn.tooSoonMinutes', { count: minutes });
}

export function accountRoutes(deps: AppDeps, demoAccounts: readonly ListedAccount[]): RouteDef[] {
  const githubSignIn = githubSignInEnabled(deps.config);
  const authenticator = newAuthenticator();
  authenticator.use(PASSWORD_STRATEGY, passwordStrategy(deps));
  return [
    {
      page: 'signIn',
      method: 'get',
      access: 'public',
      handle(req, _res, page) {
        page.render('accounts/sign-in.njk', {
          values: {},
          next: safeReturnPath(req.query.next),
          githubSignIn,
          demoAccounts: deps.config.NODE_ENV === 'development' ? demoAccounts : [],
        });
      },
    },
    {
      page: 'signIn',
      method: 'post',
      access: 'public',
      // Per address, well above what a person types: the account's own delay (L1) comes first,
      // and a lower count would let a stranger lock the owner out.
      limit: {
        name: 'sign-in',
        limit: 30,
        windowMs: QUARTER_HOUR,
        perTarget: { field: 'email', limit: 100 },
      },
      async handle(req, res, page) {
        const next = safeReturnPath((req.body as { next?: unknown })?.next);
        const view = 'accounts/sign-in.njk';
        const form = parseForm(signInForm, req, page, view, { next, githubSignIn });
        if (!form) return;
        const outcome = await authenticate<UserRow>(authenticator, PASSWORD_STRATEGY, req, res);
        if (outcome.kind === 'error') throw outcome.error;
        if (outcome.kind !== 'success') {
          const refusal = refusalOf(outcome.kind === 'fail' ? outcome.info : undefined);
          if (refusal.reason === 'tooSoon') res.set('Retry-After', String(refusal.waitSeconds));
          page.render(
            view,
            {
              next,
              githubSignIn,
              departmentSignIn: refusal.reason === 'departmentSignIn',
              values: keepValues(req.body, secretFields),
              errors: [{ field: 'email', message: signInRefusalMessage(page.t, refusal) }],
            },
            refusalStatus[refusal.reason],
          );
          return;
        }
        await startSignedInSession(deps, req, outcome.user.id);
        res.redirect(303, next ?? page.url('workQueues'));
      },
    },
    {
      page: 'signOut',
      method: 'post',
      limit: { name: 'sign-out', limit: 60, windowMs: 15 * 60 * 1000 },
      access: 'public',
      async handle(req, res, page) {
        await destroySession(req);
        res.clearCookie(sessionCookieName(deps));
        res.redirect(303, page.url('home'));
      },
    },
    {
      page: 'signUp',
      method: 'get',
      access: 'public',
      handle: (_req, _res, page) =>
        page.render('accounts/sign-up.njk', { values: { language: page.lang } }),
    },
    {
      page: 'signUp',
      method: 'post',
      access: 'public',
      limit: {
        name: 'sign-up',
        limit: 10,
        windowMs: QUARTER_HOUR,
        perTarget: { field: 'email', limit: 5 },
      },
      async handle(req, res, page) {
        const form = parseForm(signUpForm, req, page, 'accounts/sign-up.njk');
        if (!form) return;
        await signUp(deps, { email: form.email, password: form.password, language: form.language });
        res.redirect(303, page.url('checkEmail'));
      },
    },
    {
      page: 'checkEmail',
      method: 'get',
      access: 'public',
      handle: (_req, _res, page) => page.render('accounts/check-email.njk'),
    },
    // The emailed link only shows a button: mail scanners and previews follow links (H1).
    {
      page: 'confirmEmail',
      method: 'get',
      access: 'public',
      async handle(req, _res, page) {
        const token = tokenParam.safeParse(req.params.token);
        if (!token.success || !(await confirmationLinkWorks(deps, token.data))) {
          return page.render('accounts/confirmed.njk', { confirmed: false }, 400);
        }
        page.render('accounts/confirm-email.njk', { token: token.data });
      },
    },
    {
      page: 'confirmEmail',
      method: 'post',
      access: 'public',
      limit: { name: 'confirm-email', limit: 10, windowMs: QUARTER_HOUR },
      async handle(req, _res, page) {
        const token = tokenParam.safeParse(req.params.token);
        if (!token.success) return page.render('accounts/confirmed.njk', { confirmed: false }, 400);
        const view = 'accounts/confirm-email.njk';
        const form = parseForm(confirmEmailForm, req, page, view, { token: token.data });
        if (!form) return;
        const outcome = await confirmEmail(deps, token.data, form.password);
        if (outcome === 'wrongPassword') {
          const errors = [{ field: 'password', message: page.t('accounts.confirm.wrongPassword') }];
          return page.render(view, { token: token.data, errors }, 400);
        }
        const confirmed = outcome === 'confirmed';
        page.render('accounts/confirmed.njk', { confirmed }, confirmed ? 200 : 400);
      },
    },
    {
      page: 'forgotPassword',
      method: 'get',
      access: 'public',
      handle: (_req, _res, page) => page.render('accounts/forgot-password.njk', { values: {} }),
    },
    {
      page: 'forgotPassword',
      method: 'post',
      access: 'public',
      limit: {
        name: 'forgot-password',
        limit: 10,
        windowMs: QUARTER_HOUR,
        perTarget: { field: 'email', limit: 5 },
      },
      async handle(req, res, page) {
        const form = parseForm(forgotPasswordForm, req, page, 'accounts/forgot-password.njk');
        if (!form) return;
        await requestPasswordReset(deps, form.email);
        res.redirect(303, page.url('checkEmail'));
      },
    },
    {
      page: 'resetPassword',
      method: 'get',
      access: 'public',
      async handle(req, _res, page) {
        const token = tokenParam.safeParse(req.params.token);
        const state = token.success ? await resetLinkState(deps, token.data) : 'invalid';
        if (state !== 'usable') {
          return page.render(
            'accounts/reset-password.njk',
            refusedReset[state].view,
            refusedReset[state].status,
          );
        }
        page.render('accounts/reset-password.njk', { token: token.data, values: {} });
      },
    },
    {
      page: 'resetPassword',
      method: 'post',
      access: 'public',
      limit: { name: 'reset-password', limit: 10, windowMs: QUARTER_HOUR },
      async handle(req, res, page) {
        const token = tokenParam.safeParse(req.params.token);
        const view = 'accounts/reset-password.njk';
        const form = parseForm(resetPasswordForm, req, page, view, { token: req.params.token });
        if (!form) return;
        const outcome = token.success
          ? await resetPassword(deps, token.data, form.password)
          : 'invalid';
        if (outcome !== 'reset') {
          return page.render(view, refusedReset[outcome].view, refusedReset[outcome].status);
        }
        // Every session of that person has ended; this browser starts afresh too, and the end of
        // its session is stored before the redirect leaves.
        await destroySession(req);
        res.redirect(303, `${page.url('signIn')}?reset=1`);
      },
    },
    {
      page: 'account',
      method: 'get',
      access: 'signedIn',
      async handle(req, _res, page) {
        const supplier = page.user!.kind === 'supplier';
        page.render('accounts/account.njk', {
          offerGithubLink: githubSignIn && supplier && !(await hasGithub(deps, page.user!.id)),
          githubLinked: req.query.linked === 'github',
        });
      },
    },
  ];
}

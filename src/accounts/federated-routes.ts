import type { Request, Response } from 'express';
import type { AppDeps } from '../platform/deps.ts';
import { languages, type Lang } from '../platform/i18n.ts';
import type { PageContext, RouteDef } from '../platform/router.ts';
import { safeReturnPath } from '../platform/router.ts';
import { url } from '../platform/routes.ts';
import { githubSignInEnabled, linkGithub, signInWithGithub } from './github.ts';
import { signInStaff } from './oidc.ts';
import { authenticate, newAuthenticator, type Authenticator } from './passport.ts';
import { saveSession, startSignedInSession } from './session.ts';
import {
  GITHUB_STRATEGY,
  githubStrategy,
  isGithubRefusal,
  type GithubIdentity,
  type GithubPurpose,
} from './strategies/github.ts';
import {
  isOidcProtocolError,
  STAFF_STRATEGY,
  staffStrategyLoader,
  type StaffAuthenticateOptions,
  type StaffIdentity,
} from './strategies/staff-oidc.ts';

type Provider = 'staff' | 'github';
type Problem =
  | 'notConfigured'
  | 'failed'
  | 'supplierAccount'
  | 'staffAccount'
  | 'closed'
  | 'conflict'
  | 'noVerifiedEmail'
  | 'signInFirst'
  | 'githubTaken'
  | 'alreadyLinked';

const statusOf: Record<Problem, number> = {
  notConfigured: 200,
  failed: 400,
  supplierAccount: 403,
  staffAccount: 403,
  closed: 403,
  conflict: 403,
  noVerifiedEmail: 403,
  signInFirst: 403,
  githubTaken: 409,
  alreadyLinked: 409,
};

const backText = {
  signIn: 'accounts.federated.backToSignIn',
  account: 'accounts.federated.backToAccount',
} as const;

/**
 * Like the error pages, in both languages, the page's first: the person may have landed here
 * from the provider, and the language toggle cannot carry them back into the middle of a sign-in.
 * It leads back to the sign-in page, or to the account page for a link from there.
 */
function renderProblem(
  deps: AppDeps,
  res: Response,
  lang: Lang,
  provider: Provider,
  problem: Problem,
  options: { status?: number; back?: 'signIn' | 'account' } = {},
): void {
  const back = options.back ?? 'signIn';
  const order = lang === 'en' ? languages : ([...languages].reverse() as Lang[]);
  const html = deps.views.render('accounts/federated-problem.njk', {
    lang,
    t: deps.translator.t(lang),
    key: `accounts.federated.${provider}.${problem}`,
    demoHint:
      provider === 'staff' && problem === 'notConfigured' && deps.config.NODE_ENV === 'development',
    sections: order.map((l) => ({
      lang: l,
      t: deps.translator.t(l),
      back: { href: url(back, {}, l), text: deps.translator.t(l)(backText[back]) },
    })),
  });
  res
    .status(options.status ?? statusOf[problem])
    .type('html')
    .set('Cache-Control', 'no-store')
    .send(html);
}

/** Sends the person to the provider once the session holding the round trip's state is stored. */
async function sendToProvider(req: Request, res: Response, to: string): Promise<void> {
  await saveSession(req);
  res.redirect(303, to);
}

/**
 * Sign-in through someone else's proof of identity: public servants with their department's
 * OpenID Connect provider, suppliers with GitHub (which a signed-in supplier can also link to
 * their account). Each provider is a passport strategy; the routes decide what the proof opens.
 */
export function federatedRoutes(deps: AppDeps): RouteDef[] {
  const authenticator: Authenticator = newAuthenticator();
  const loadStaffStrategy = staffStrategyLoader(deps.config, authenticator);
  const github = githubSignInEnabled(deps.config);
  if (github) authenticator.use(GITHUB_STRATEGY, githubStrategy(deps.config));
  const callbackUrl = (page: 'staffSignInCallback' | 'githubCallback', lang: Lang) =>
    deps.config.PUBLIC_URL + url(page, {}, lang);

  /** The provider's metadata, or a 502 page when it cannot be read. */
  async function staffReady(req: Request, res: Response, lang: Lang): Promise<boolean> {
    if (!loadStaffStrategy) {
      renderProblem(deps, res, lang, 'staff', 'notConfigured');
      return false;
    }
    try {
      await loadStaffStrategy();
      return true;
    } catch (error) {
      req.log.error({ err: error }, 'identity provider discovery failed');
      renderProblem(deps, res, lang, 'staff', 'failed', { status: 502 });
      return false;
    }
  }

  /** Starts a GitHub round trip, to sign in or to link the signed-in supplier's account. */
  async function startGithub(req: Request, res: Response, page: PageContext, why: GithubPurpose) {
    const back = 'linkTo' in why ? 'account' : 'signIn';
    if (!github) return renderProblem(deps, res, page.lang, 'github', 'notConfigured', { back });
    const outcome = await authenticate(authenticator, GITHUB_STRATEGY, req, res, {
      callbackURL: callbackUrl('githubCallback', page.lang),
      state: why,
    });
    if (outcome.kind !== 'redirect')
      throw new Error(`GitHub sign-in did not start: ${outcome.kind}`);
    await sendToProvider(req, res, outcome.url);
  }

  /** Links the GitHub account to the one asked for, if that person is still signed in here. */
  async function finishGithubLink(
    req: Request,
    res: Response,
    page: PageContext,
    userId: number,
    identity: GithubIdentity,
  ) {
    const back = 'account';
    if (page.user?.id !== userId) {
      return renderProblem(deps, res, page.lang, 'github', 'failed', { back });
    }
    const linked = await linkGithub(deps, userId, identity);
    if (!linked.ok) return renderProblem(deps, res, page.lang, 'github', linked.reason, { back });
    // The round trip's state is gone from the session: stored before the browser comes back.
    await saveSession(req);
    res.redirect(303, `${page.url('account')}?linked=github`);
  }

  const startLimit = (name: string) => ({ name, limit: 100, windowMs: 15 * 60 * 1000 });

  return [
    {
      page: 'staffSignIn',
      method: 'get',
      access: 'public',
      // Starting a round trip stores a session (state, nonce, PKCE verifier): bounded per address.
      limit: startLimit('staff-sign-in-start'),
      async handle(req, res, page) {
        if (!(await staffReady(req, res, page.lang))) return;
        req.session.staffSignInNext = safeReturnPath(req.query.next);
        const options: StaffAuthenticateOptions = {
          start: true,
          callbackURL: callbackUrl('staffSignInCallback', page.lang),
          uiLocales: `${page.lang}-CA`,
        };
        const outcome = await authenticate(authenticator, STAFF_STRATEGY, req, res, options);
        if (outcome.kind === 'redirect') return sendToProvider(req, res, outcome.url);
        req.log.error(
          { err: outcome.kind === 'error' ? outcome.error : outcome },
          'staff sign-in did not start',
        );
        renderProblem(deps, res, page.lang, 'staff', 'failed', { status: 502 });
      },
    },
    {
      page: 'staffSignInCallback',
      method: 'get',
      access: 'public',
      async handle(req, res, page) {
        if (!(await staffReady(req, res, page.lang))) return;
        const next = req.session.staffSignInNext;
        delete req.session.staffSignInNext;
        const outcome = await authenticate<StaffIdentity>(authenticator, STAFF_STRATEGY, req, res, {
          callbackURL: callbackUrl('staffSignInCallback', page.lang),
        });
        if (outcome.kind === 'error') {
          const protocol = isOidcProtocolError(outcome.error);
          req.log[protocol ? 'warn' : 'error']({ err: outcome.error }, 'staff sign-in failed');
          const status = protocol ? 400 : 502;
          return renderProblem(deps, res, page.lang, 'staff', 'failed', { status });
        }
        if (outcome.kind !== 'success') {
          return renderProblem(deps, res, page.lang, 'staff', 'failed');
        }
        const result = await signInStaff(deps, outcome.user, page.lang);
        if (!result.ok) return renderProblem(deps, res, page.lang, 'staff', result.reason);
        await startSignedInSession(deps, req, result.userId);
        res.redirect(303, next ?? page.url('workQueues'));
      },
    },
    {
      page: 'githubSignIn',
      method: 'get',
      access: 'public',
      limit: startLimit('github-sign-in-start'),
      handle: (req, res, page) =>
        startGithub(req, res, page, { signIn: true, next: safeReturnPath(req.query.next) }),
    },
    {
      page: 'linkGithub',
      method: 'post',
      access: 'supplier',
      shows: 'account',
      limit: { name: 'link-github', limit: 10, windowMs: 15 * 60 * 1000 },
      handle: (req, res, page) => startGithub(req, res, page, { linkTo: page.user!.id }),
    },
    {
      page: 'githubCallback',
      method: 'get',
      access: 'public',
      async handle(req, res, page) {
        if (!github) return renderProblem(deps, res, page.lang, 'github', 'notConfigured');
        // Without a code, passport-oauth2 would start a new round trip instead.
        if (typeof req.query.code !== 'string' || !req.query.code) {
          delete req.session.githubSignIn;
          return renderProblem(deps, res, page.lang, 'github', 'failed');
        }
        const outcome = await authenticate<GithubIdentity>(
          authenticator,
          GITHUB_STRATEGY,
          req,
          res,
          {
            callbackURL: callbackUrl('githubCallback', page.lang),
          },
        );
        if (outcome.kind === 'error') {
          const refused = isGithubRefusal(outcome.error);
          req.log[refused ? 'warn' : 'error']({ err: outcome.error }, 'GitHub sign-in failed');
          const status = refused ? 400 : 502;
          return renderProblem(deps, res, page.lang, 'github', 'failed', { status });
        }
        if (outcome.kind !== 'success') {
          return renderProblem(deps, res, page.lang, 'github', 'failed');
        }
        const why = (outcome.info as { state: GithubPurpose }).state;
        if ('linkTo' in why) return finishGithubLink(req, res, page, why.linkTo, outcome.user);
        const result = await signInWithGithub(deps, outcome.user, page.lang);
        if (!result.ok) return renderProblem(deps, res, page.lang, 'github', result.reason);
        await startSignedInSession(deps, req, result.userId);
        res.redirect(303, why.next ?? page.url('workQueues'));
      },
    },
  ];
}

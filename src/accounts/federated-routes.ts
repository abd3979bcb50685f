import { timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { AppDeps } from '../platform/deps.ts';
import { languages, type Lang } from '../platform/i18n.ts';
import type { RouteDef } from '../platform/router.ts';
import { safeReturnPath } from '../platform/router.ts';
import { url } from '../platform/routes.ts';
import {
  githubAuthorizationUrl,
  githubIdentity,
  GithubRefusal,
  githubSignInEnabled,
  newGithubState,
  signInWithGithub,
} from './github.ts';
import { createStaffOidc, isOidcProtocolError, signInStaff } from './oidc.ts';
import { startSignedInSession } from './session.ts';

type Provider = 'staff' | 'github';
type Problem =
  | 'notConfigured'
  | 'failed'
  | 'supplierAccount'
  | 'staffAccount'
  | 'closed'
  | 'conflict'
  | 'noVerifiedEmail';

const statusOf: Record<Problem, number> = {
  notConfigured: 200,
  failed: 400,
  supplierAccount: 403,
  staffAccount: 403,
  closed: 403,
  conflict: 403,
  noVerifiedEmail: 403,
};

/**
 * Like the error pages, in both languages, the page's first: the person may have landed here
 * from the provider, and the language toggle cannot carry them back into the middle of a sign-in.
 */
function renderProblem(
  deps: AppDeps,
  res: Response,
  lang: Lang,
  provider: Provider,
  problem: Problem,
  status = statusOf[problem],
): void {
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
      signIn: url('signIn', {}, l),
    })),
  });
  res.status(status).type('html').set('Cache-Control', 'no-store').send(html);
}

function sameSecret(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const [a, b] = [Buffer.from(expected), Buffer.from(given)];
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The callback's query string, as the provider sent it. */
const queryOf = (req: Request) => {
  const at = req.originalUrl.indexOf('?');
  return at === -1 ? '' : req.originalUrl.slice(at);
};

/**
 * Sign-in through someone else's proof of identity: public servants with their department's
 * OpenID Connect provider, suppliers with GitHub. Both end like a password sign-in.
 */
export function federatedRoutes(deps: AppDeps): RouteDef[] {
  const staffOidc = createStaffOidc(deps.config);
  const github = githubSignInEnabled(deps.config);
  return [
    {
      page: 'staffSignIn',
      method: 'get',
      access: 'public',
      async handle(req, res, page) {
        if (!staffOidc) return renderProblem(deps, res, page.lang, 'staff', 'notConfigured');
        let started;
        try {
          started = await staffOidc.start(page.lang);
        } catch (error) {
          req.log.error({ err: error }, 'identity provider discovery failed');
          return renderProblem(deps, res, page.lang, 'staff', 'failed', 502);
        }
        req.session.staffSignIn = { ...started.pending, next: safeReturnPath(req.query.next) };
        res.redirect(303, started.redirectTo.href);
      },
    },
    {
      page: 'staffSignInCallback',
      method: 'get',
      access: 'public',
      async handle(req, res, page) {
        if (!staffOidc) return renderProblem(deps, res, page.lang, 'staff', 'notConfigured');
        const pending = req.session.staffSignIn;
        delete req.session.staffSignIn;
        if (!pending) return renderProblem(deps, res, page.lang, 'staff', 'failed');
        let identity;
        try {
          identity = await staffOidc.finish(page.lang, queryOf(req), pending);
        } catch (error) {
          const protocol = isOidcProtocolError(error);
          req.log[protocol ? 'warn' : 'error']({ err: error }, 'staff sign-in failed');
          return renderProblem(deps, res, page.lang, 'staff', 'failed', protocol ? 400 : 502);
        }
        const result = await signInStaff(deps, identity, page.lang);
        if (!result.ok) return renderProblem(deps, res, page.lang, 'staff', result.reason);
        await startSignedInSession(deps, req, result.userId);
        res.redirect(303, pending.next ?? page.url('account'));
      },
    },
    {
      page: 'githubSignIn',
      method: 'get',
      access: 'public',
      handle(req, res, page) {
        if (!github) return renderProblem(deps, res, page.lang, 'github', 'notConfigured');
        const state = newGithubState();
        req.session.githubSignIn = { state, next: safeReturnPath(req.query.next) };
        res.redirect(303, githubAuthorizationUrl(deps.config, page.lang, state).href);
      },
    },
    {
      page: 'githubCallback',
      method: 'get',
      access: 'public',
      async handle(req, res, page) {
        if (!github) return renderProblem(deps, res, page.lang, 'github', 'notConfigured');
        const pending = req.session.githubSignIn;
        delete req.session.githubSignIn;
        const { code, state } = req.query;
        if (!pending || !sameSecret(pending.state, state) || typeof code !== 'string' || !code) {
          return renderProblem(deps, res, page.lang, 'github', 'failed');
        }
        let identity;
        try {
          identity = await githubIdentity(deps.config, page.lang, code);
        } catch (error) {
          const refused = error instanceof GithubRefusal;
          req.log[refused ? 'warn' : 'error']({ err: error }, 'GitHub sign-in failed');
          return renderProblem(deps, res, page.lang, 'github', 'failed', refused ? 400 : 502);
        }
        const result = await signInWithGithub(deps, identity, page.lang);
        if (!result.ok) return renderProblem(deps, res, page.lang, 'github', result.reason);
        await startSignedInSession(deps, req, result.userId);
        res.redirect(303, pending.next ?? page.url('account'));
      },
    },
  ];
}

import type { AppDeps } from '../platform/deps.ts';
import { keepValues, parseForm, secretFields } from '../platform/forms.ts';
import { provinces } from '../platform/money.ts';
import type { PageContext, RouteDef } from '../platform/router.ts';
import { destroySession, sessionCookieName } from '../platform/sessions.ts';
import { mailingListSection } from '../subscriptions/profile-section.ts';
import { githubSignInEnabled } from './github.ts';
import { proveOwner } from './payee-details.ts';
import { closeAccount, findProfile, hasPassword, personalData, saveProfile } from './profile.ts';
import { closeAccountForm, profileForm } from './profile-schemas.ts';

function profileValues(profile: Awaited<ReturnType<typeof findProfile>>) {
  if (!profile) return {};
  return {
    ...Object.fromEntries(
      Object.entries(profile).map(([k, v]) => [k, v === null ? '' : String(v)]),
    ),
    acceptsCard: profile.acceptsCard ? 'yes' : '',
    namedIfSelected: profile.namedIfSelected ? 'yes' : '',
  };
}

const QUARTER_HOUR = 15 * 60 * 1000;

export function profileRoutes(deps: AppDeps): RouteDef[] {
  const view = 'accounts/profile.njk';
  /**
   * What the form shows besides the values: an account with a password confirms a change of
   * payee details with it; one without (GitHub only) signs in again instead.
   */
  const formData = async (page: PageContext) => {
    const next = `?next=${encodeURIComponent(page.url('profile'))}`;
    return {
      provinceOptions: provinces.map((p) => ({ value: p, label: page.t(`provinces.${p}`) })),
      hasPassword: await hasPassword(deps.db, page.user!.id),
      signInAgainUrl: page.url(githubSignInEnabled(deps.config) ? 'githubSignIn' : 'signIn') + next,
    };
  };
  return [
    {
      page: 'profile',
      method: 'get',
      access: 'supplier',
      async handle(req, _res, page) {
        const profile = await findProfile(deps.db, page.user!.id);
        const done = req.query.mailingList;
        page.render(view, {
          ...(await formData(page)),
          values: profileValues(profile),
          saved: req.query.saved === '1',
          mailingList: await mailingListSection(deps, page),
          mailingListDone: done === 'save' || done === 'unsubscribe' ? `${done}_done` : undefined,
        });
      },
    },
    {
      page: 'profile',
      method: 'post',
      access: 'supplier',
      // A wrong password costs an argon2 verify, and a change sends email.
      limit: { name: 'profile', limit: 30, windowMs: QUARTER_HOUR },
      async handle(req, res, page) {
        const data = await formData(page);
        const form = parseForm(profileForm, req, page, view, data);
        if (!form) return;
        const saved = await saveProfile(deps, page.user!.id, form, () =>
          proveOwner(deps, page.user!.id, {
            password: form.password,
            signedInAt: req.session.signedInAt,
          }),
        );
        if (!saved.ok) {
          const field = saved.reason === 'signInAgain' ? 'signInAgain' : 'password';
          page.render(
            view,
            {
              ...data,
              values: keepValues(req.body, secretFields),
              errors: [{ field, message: page.t(`accounts.profile.${saved.reason}`) }],
            },
            400,
          );
          return;
        }
        res.redirect(303, `${page.url('profile')}?saved=1`);
      },
    },
    {
      page: 'accountData',
      method: 'get',
      access: 'signedIn',
      async handle(_req, res, page) {
        const data = await personalData(deps.db, page.user!.id);
        res
          .status(200)
          .set('Cache-Control', 'no-store')
          .attachment(page.lang === 'fr' ? 'mes-donnees.json' : 'my-data.json')
          .json(data);
      },
    },
    {
      page: 'closeAccount',
      method: 'get',
      access: 'supplier',
      handle: (_req, _res, page) => page.render('accounts/close.njk', { values: {} }),
    },
    {
      page: 'closeAccount',
      method: 'post',
      access: 'supplier',
      limit: { name: 'close-account', limit: 30, windowMs: QUARTER_HOUR },
      async handle(req, res, page) {
        const form = parseForm(closeAccountForm, req, page, 'accounts/close.njk');
        if (!form) return;
        await closeAccount(deps.db, deps.clock, page.user!.id);
        await destroySession(req);
        res.clearCookie(sessionCookieName(deps));
        res.redirect(303, page.url('home'));
      },
    },
  ];
}

import type { AppDeps } from '../platform/deps.ts';
import type { Translate } from '../platform/i18n.ts';
import { parseForm } from '../platform/forms.ts';
import { provinces } from '../platform/money.ts';
import type { RouteDef } from '../platform/router.ts';
import { destroySession, sessionCookieName } from '../platform/sessions.ts';
import { closeAccount, findProfile, personalData, saveProfile } from './profile.ts';
import { closeAccountForm, profileForm } from './profile-schemas.ts';

function profileValues(profile: Awaited<ReturnType<typeof findProfile>>) {
  if (!profile) return {};
  return {
    ...Object.fromEntries(
      Object.entries(profile).map(([k, v]) => [k, v === null ? '' : String(v)]),
    ),
    acceptsCard: profile.acceptsCard ? 'yes' : '',
  };
}

const provinceOptions = (t: Translate) =>
  provinces.map((p) => ({ value: p, label: t(`provinces.${p}`) }));

export function profileRoutes(deps: AppDeps): RouteDef[] {
  const view = 'accounts/profile.njk';
  return [
    {
      page: 'profile',
      method: 'get',
      access: 'supplier',
      async handle(req, _res, page) {
        const profile = await findProfile(deps.db, page.user!.id);
        page.render(view, {
          values: profileValues(profile),
          provinceOptions: provinceOptions(page.t),
          saved: req.query.saved === '1',
        });
      },
    },
    {
      page: 'profile',
      method: 'post',
      access: 'supplier',
      async handle(req, res, page) {
        const form = parseForm(profileForm, req, page, view, {
          provinceOptions: provinceOptions(page.t),
        });
        if (!form) return;
        await saveProfile(deps.db, deps.clock, page.user!.id, form);
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

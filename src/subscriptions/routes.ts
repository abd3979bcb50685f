import type { Request } from 'express';
import type { AppDeps } from '../platform/deps.ts';
import { hasValidCsrfToken } from '../platform/csrf.ts';
import { fieldErrors, keepValues } from '../platform/forms.ts';
import type { PageContext, RouteDef } from '../platform/router.ts';
import { interestsOf, mailingListFields, subscribeFormView } from './present.ts';
import { wordingExists } from './repo.ts';
import { preferencesForm, subscribeForm, tokenParam } from './schemas.ts';
import {
  confirmationLinkWorks,
  confirmSubscription,
  leaveFromProfile,
  preferencesOf,
  savePreferences,
  subscribe,
  unsubscribe,
} from './service.ts';

const QUARTER_HOUR = 15 * 60 * 1000;
const MINUTE = 60 * 1000;

/**
 * RFC 8058: a mail provider posts `List-Unsubscribe=One-Click` to the List-Unsubscribe address,
 * urlencoded or as multipart/form-data. The app parses no multipart body, and none of its pages
 * sends one, so a multipart POST here is taken as the provider's: the address's unguessable token
 * is the proof either way.
 */
const isOneClick = (req: Request) =>
  (req.body as Record<string, unknown> | undefined)?.['List-Unsubscribe'] === 'One-Click' ||
  req.is('multipart/form-data') === 'multipart/form-data';

export function subscriptionRoutes(deps: AppDeps): RouteDef[] {
  const formView = (page: PageContext) => subscribeFormView(deps.db, page.lang, deps.clock.now());

  /** The subscribe page again, with what was typed (and why, when something is wrong). */
  async function subscribePageAgain(
    req: Request,
    page: PageContext,
    extra: Record<string, unknown>,
    status: number,
  ) {
    const { errors, ...rest } = extra as { errors?: { field: string; message: string }[] };
    const values = keepValues(req.body, ['interests']);
    const ml = mailingListFields(await formView(page), values, interestsOf(req.body), errors);
    page.render('subscriptions/subscribe.njk', { ml, errors, ...rest }, status);
  }

  const unsubscribePage = (page: PageContext, token: string) =>
    page.render('subscriptions/unsubscribe.njk', { token });

  return [
    {
      page: 'subscribe',
      method: 'get',
      access: 'public',
      async handle(_req, _res, page) {
        const ml = mailingListFields(await formView(page), { language: page.lang }, []);
        page.render('subscriptions/subscribe.njk', { ml });
      },
    },
    {
      page: 'subscribe',
      method: 'post',
      access: 'public',
      // The small form of the home and opportunity pages comes from a cached page, without a
      // token: it gets this page back, filled in, with one, and nothing is sent before that.
      csrf: 'route',
      limit: {
        name: 'subscribe',
        limit: 10,
        windowMs: QUARTER_HOUR,
        perTarget: { field: 'email', limit: 5 },
      },
      async handle(req, res, page) {
        if (!hasValidCsrfToken(req, res)) {
          return subscribePageAgain(req, page, { finish: true }, 200);
        }
        const parsed = subscribeForm.safeParse(req.body ?? {});
        if (!parsed.success) {
          return subscribePageAgain(req, page, { errors: fieldErrors(parsed.error, page.t) }, 400);
        }
        if (!(await wordingExists(deps.db, parsed.data.consentVersion))) {
          const errors = [{ field: 'consent', message: page.t('subscriptions.errors.wording') }];
          return subscribePageAgain(req, page, { errors }, 400);
        }
        await subscribe(deps, parsed.data);
        res.redirect(303, page.url('subscriptionCheckEmail'));
      },
    },
    {
      page: 'subscriptionCheckEmail',
      method: 'get',
      access: 'public',
      handle: (_req, _res, page) => page.render('subscriptions/check-email.njk'),
    },
    // The emailed link only shows a button: mail scanners and previews follow links.
    {
      page: 'confirmSubscription',
      method: 'get',
      access: 'public',
      async handle(req, _res, page) {
        const token = tokenParam.safeParse(req.params.token);
        if (!token.success || !(await confirmationLinkWorks(deps, token.data))) {
          return page.render('subscriptions/confirmed.njk', { confirmed: false }, 400);
        }
        page.render('subscriptions/confirm.njk', { token: token.data });
      },
    },
    {
      page: 'confirmSubscription',
      method: 'post',
      access: 'public',
      limit: { name: 'confirm-subscription', limit: 10, windowMs: QUARTER_HOUR },
      async handle(req, _res, page) {
        const token = tokenParam.safeParse(req.params.token);
        const confirmed = token.success && (await confirmSubscription(deps, token.data));
        page.render('subscriptions/confirmed.njk', { confirmed }, confirmed ? 200 : 400);
      },
    },
    // Any token gets the same page and the same answer: nothing tells whether it names anyone.
    {
      page: 'unsubscribe',
      method: 'get',
      access: 'public',
      handle: (req, _res, page) => unsubscribePage(page, String(req.params.token)),
    },
    {
      page: 'unsubscribe',
      method: 'post',
      access: 'public',
      // RFC 8058: the mail provider's POST has the link's token and no page, so no CSRF token;
      // the page's own button has one.
      csrf: 'route',
      // Mail providers post from a few addresses for many people: a generous limit.
      limit: { name: 'unsubscribe', limit: 60, windowMs: MINUTE },
      async handle(req, res, page) {
        const oneClick = isOneClick(req);
        if (!oneClick && !hasValidCsrfToken(req, res)) {
          return unsubscribePage(page, String(req.params.token));
        }
        const token = tokenParam.safeParse(req.params.token);
        if (token.success) {
          await unsubscribe(deps, token.data, oneClick ? 'one_click' : 'unsubscribe_page');
        }
        page.render('subscriptions/unsubscribed.njk');
      },
    },
    {
      page: 'profileMailingList',
      method: 'post',
      access: 'supplier',
      shows: 'profile',
      limit: { name: 'profile-mailing-list', limit: 30, windowMs: QUARTER_HOUR },
      async handle(req, res, page) {
        const parsed = preferencesForm.safeParse(req.body ?? {});
        const email = page.user!.email;
        const wordingGone =
          parsed.success &&
          parsed.data.action === 'save' &&
          !(await wordingExists(deps.db, parsed.data.consentVersion));
        if (!parsed.success || wordingGone) {
          const errors = parsed.success
            ? [{ field: 'consent', message: page.t('subscriptions.errors.wording') }]
            : fieldErrors(parsed.error, page.t);
          const values = keepValues(req.body, ['interests']);
          const { subscribed } = await preferencesOf(deps, email);
          const ml = mailingListFields(await formView(page), values, interestsOf(req.body), errors);
          return page.render('subscriptions/preferences.njk', { ml, subscribed, errors }, 400);
        }
        if (parsed.data.action === 'unsubscribe') await leaveFromProfile(deps, email);
        else await savePreferences(deps, email, parsed.data);
        res.redirect(303, `${page.url('profile')}?mailingList=${parsed.data.action}#mailing-list`);
      },
    },
  ];
}

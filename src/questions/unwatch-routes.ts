import type { AppDeps } from '../platform/deps.ts';
import type { RouteDef } from '../platform/router.ts';
import { unwatchByToken, unwatchToken } from './unwatch.ts';

/**
 * The unwatch link of watchers' emails, for anyone who has it, signed in or not. The link only
 * shows a button (mail scanners follow links); the button's POST stops the watching. Any token,
 * forged or used, gets the same two pages: nothing tells whether it named anyone.
 */
export function unwatchRoutes(deps: AppDeps): RouteDef[] {
  return [
    {
      page: 'unwatch',
      method: 'get',
      access: 'public',
      handle: (req, _res, page) =>
        page.render('questions/unwatch.njk', { token: String(req.params.token) }),
    },
    {
      page: 'unwatch',
      method: 'post',
      access: 'public',
      limit: { name: 'unwatch', limit: 30, windowMs: 15 * 60 * 1000 },
      async handle(req, _res, page) {
        const token = unwatchToken.safeParse(req.params.token);
        if (token.success) await unwatchByToken(deps.db, token.data);
        page.render('questions/unwatched.njk');
      },
    },
  ];
}

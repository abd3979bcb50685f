import type { AppDeps } from '../platform/deps.ts';
import { opportunityListing } from '../opportunities/service.ts';
import type { RouteDef } from '../platform/router.ts';
import { subscribeTeaser } from '../subscriptions/present.ts';

const staticPage = (page: RouteDef['page'], view: string): RouteDef => ({
  page,
  method: 'get',
  access: 'public',
  cache: true,
  handle: (_req, _res, ctx) => ctx.render(view),
});

export function pageRoutes(deps: AppDeps): RouteDef[] {
  return [
    {
      page: 'home',
      method: 'get',
      access: 'public',
      cache: true,
      async handle(_req, _res, page) {
        const listing = await opportunityListing(deps, page.lang, page.t);
        const ml = await subscribeTeaser(deps.db, page.lang, deps.clock.now());
        page.render('pages/home.njk', { listing, ml });
      },
    },
    staticPage('supplierGuide', 'pages/supplier-guide.njk'),
    staticPage('about', 'pages/about.njk'),
    staticPage('privacy', 'pages/privacy.njk'),
  ];
}

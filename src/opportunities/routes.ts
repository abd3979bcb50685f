import { z } from 'zod';
import type { AppDeps } from '../platform/deps.ts';
import { findDrawSummary } from '../draw/repo.ts';
import { findPublicWinner } from '../draw/winner.ts';
import { HttpError } from '../platform/errors.ts';
import type { RouteDef } from '../platform/router.ts';
import { questionsSection } from '../questions/public.ts';
import { subscribeTeaser } from '../subscriptions/present.ts';
import { REFERENCE_FORMAT } from './reference.ts';
import { presentDetail } from './present.ts';
import { findPublicOpportunity } from './repo.ts';
import { opportunityListing } from './service.ts';

export const referenceSchema = z.string().regex(REFERENCE_FORMAT);

export function opportunityRoutes(deps: AppDeps): RouteDef[] {
  return [
    {
      page: 'opportunities',
      method: 'get',
      access: 'public',
      cache: true,
      async handle(_req, _res, page) {
        const listing = await opportunityListing(deps, page.lang, page.t);
        page.render('opportunities/list.njk', { listing });
      },
    },
    {
      page: 'opportunity',
      method: 'get',
      access: 'public',
      cache: true,
      async handle(req, _res, page) {
        const reference = referenceSchema.safeParse(req.params.ref);
        if (!reference.success) throw new HttpError(404);
        const found = await findPublicOpportunity(
          deps.db,
          reference.data,
          page.lang,
          deps.clock.now(),
        );
        if (!found) throw new HttpError(404);
        page.render('opportunities/detail.njk', {
          opportunity: presentDetail(found, page.lang, page.t, deps.clock.now()),
          questions: await questionsSection(deps, found, page, { done: req.query.done }),
          draw: await findDrawSummary(deps.db, found.id),
          winner: await findPublicWinner(deps.db, found.id),
          ml: await subscribeTeaser(deps.db, page.lang, deps.clock.now()),
        });
      },
    },
  ];
}

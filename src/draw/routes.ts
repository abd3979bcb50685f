import type { AppDeps } from '../platform/deps.ts';
import { HttpError } from '../platform/errors.ts';
import type { RouteDef } from '../platform/router.ts';
import { referenceSchema } from '../opportunities/routes.ts';
import { drawJson, presentDraw } from './present.ts';
import { findPublicDraw } from './repo.ts';

/** The draw's public record: a page in each language, and the JSON that scripts recompute. */
export function drawRoutes(deps: AppDeps): RouteDef[] {
  const find = async (ref: unknown) => {
    const reference = referenceSchema.safeParse(ref);
    if (!reference.success) throw new HttpError(404);
    const draw = await findPublicDraw(deps.db, reference.data, deps.clock.now());
    if (!draw) throw new HttpError(404);
    return draw;
  };
  return [
    {
      page: 'drawResults',
      method: 'get',
      access: 'public',
      cache: true,
      async handle(req, _res, page) {
        page.render('draw/results.njk', {
          draw: presentDraw(await find(req.params.ref), page.lang),
          siteUrl: deps.config.PUBLIC_URL,
        });
      },
    },
    {
      page: 'drawResultsJson',
      method: 'get',
      access: 'public',
      // Read without a session, as cached pages are (the JSON itself is answered fresh each time).
      cache: true,
      async handle(req, res) {
        const draw = await find(req.params.ref);
        res
          .status(200)
          .set('Cache-Control', 'no-cache')
          .attachment(`${draw.reference}-draw.json`)
          .json(drawJson(draw));
      },
    },
  ];
}

import { sendConditional } from '../api/conditional.ts';
import { listOpenOpportunities } from '../api/repo.ts';
import type { AppDeps } from '../platform/deps.ts';
import type { RouteDef } from '../platform/router.ts';
import { opportunitiesFeed } from './atom.ts';

/** The newest this many: a feed reader polls for what is new, not the archive (the API has it). */
const FEED_ENTRIES = 50;

/** Open data read by programs: the Atom feed, each closing date as iCalendar, awarded contracts. */
export function feedRoutes(deps: AppDeps): RouteDef[] {
  return [
    {
      page: 'opportunitiesFeed',
      method: 'get',
      access: 'public',
      // Read without a session, as cached pages are (the feed itself is written each time).
      cache: true,
      async handle(req, res, page) {
        const now = deps.clock.now();
        const opportunities = await listOpenOpportunities(deps.db, now, { limit: FEED_ENTRIES });
        const xml = opportunitiesFeed({
          opportunities,
          lang: page.lang,
          t: page.t,
          publicUrl: deps.config.PUBLIC_URL,
          now,
        });
        sendConditional(req, res, Buffer.from(xml, 'utf8'), {
          contentType: 'application/atom+xml; charset=utf-8',
        });
      },
    },
  ];
}

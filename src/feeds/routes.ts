import { sendConditional } from '../api/conditional.ts';
import { API_BASE, lastChangeOf } from '../api/present.ts';
import { findOpenOpportunity, listOpenOpportunities } from '../api/repo.ts';
import { isReference } from '../opportunities/reference.ts';
import type { AppDeps } from '../platform/deps.ts';
import { HttpError } from '../platform/errors.ts';
import type { RouteDef } from '../platform/router.ts';
import { opportunitiesFeed } from './atom.ts';
import { closingCalendar } from './calendar.ts';
import { awardedContractsCsv } from './disclosure.ts';
import { countDeadlineChanges } from './repo.ts';

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
    {
      page: 'opportunityCalendar',
      method: 'get',
      access: 'public',
      cache: true,
      async handle(req, res, page) {
        const reference = req.params.ref;
        const now = deps.clock.now();
        const found = isReference(reference)
          ? await findOpenOpportunity(deps.db, reference, now)
          : undefined;
        if (!found?.closesAt) throw new HttpError(404);
        const ics = closingCalendar({
          opportunity: { ...found, closesAt: found.closesAt },
          deadlineChanges: await countDeadlineChanges(deps.db, found.id),
          lang: page.lang,
          t: page.t,
          publicUrl: deps.config.PUBLIC_URL,
          now,
        });
        res.attachment(`${found.reference}-${page.lang === 'en' ? 'closing' : 'cloture'}.ics`);
        sendConditional(req, res, Buffer.from(ics, 'utf8'), {
          contentType: 'text/calendar; charset=utf-8',
          lastModified: lastChangeOf(found, now),
        });
      },
    },
    {
      page: 'awardedContractsCsv',
      method: 'get',
      access: 'public',
      cache: true,
      async handle(req, res, page) {
        const csv = await awardedContractsCsv(deps.db, page.lang, page.t);
        res.attachment(page.lang === 'en' ? 'awarded-contracts.csv' : 'contrats-attribues.csv');
        sendConditional(req, res, Buffer.from(csv, 'utf8'), {
          contentType: 'text/csv; charset=utf-8; header=present',
        });
      },
    },
    {
      page: 'openData',
      method: 'get',
      access: 'public',
      cache: true,
      handle(_req, _res, page) {
        page.render('feeds/open-data.njk', { api: API_BASE });
      },
    },
  ];
}

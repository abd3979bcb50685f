import type { AppDeps } from '../platform/deps.ts';
import type { Lang, Translate } from '../platform/i18n.ts';
import { presentSummary } from './present.ts';
import { isOpen } from './states.ts';
import { listPublicOpportunities } from './repo.ts';

/** Open opportunities first, as cards; the others for the collapsed table below. */
export async function opportunityListing(deps: AppDeps, lang: Lang, t: Translate) {
  const now = deps.clock.now();
  const all = await listPublicOpportunities(deps.db, lang, now);
  return {
    open: all.filter((o) => isOpen(o, now)).map((o) => presentSummary(o, lang, t, now)),
    past: all
      .filter((o) => !isOpen(o, now))
      .reverse()
      .map((o) => presentSummary(o, lang, t, now)),
  };
}

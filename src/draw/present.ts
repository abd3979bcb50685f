import { formatDeadline } from '../platform/dates.ts';
import type { Lang } from '../platform/i18n.ts';
import { url } from '../platform/routes.ts';
import type { PublicDraw } from './repo.ts';

/** The format name of the JSON download, read by scripts/verify-draw.mjs and public/draw-check.js. */
const DRAW_FORMAT = 'micro-acquisition-draw/1';

/**
 * The JSON anyone downloads to recompute the draw: every value a verifier needs, and nothing
 * about who applied. The same in both languages, but for the page it links to.
 */
export function drawJson(draw: PublicDraw) {
  return {
    format: DRAW_FORMAT,
    reference: draw.reference,
    title: draw.title,
    pages: {
      en: url('drawResults', { ref: draw.reference }, 'en'),
      fr: url('drawResults', { ref: draw.reference }, 'fr'),
    },
    commitment: draw.commitment?.value ?? null,
    committedAt: draw.commitment?.committedAt.toISOString() ?? null,
    fingerprints: draw.list?.fingerprints ?? null,
    fingerprintListHash: draw.list?.listHash ?? null,
    fixedAt: draw.list?.fixedAt.toISOString() ?? null,
    secret: draw.secret?.value ?? null,
    revealedAt: draw.secret?.revealedAt.toISOString() ?? null,
    order: draw.order.map((r) => ({ rank: r.rank, fingerprint: r.fingerprint, hmac: r.hmac })),
  };
}

/** The draw's moment: committed (open), listed (closed, not drawn yet), drawn. */
function stageOf(draw: PublicDraw): 'none' | 'committed' | 'listed' | 'drawn' {
  if (draw.secret) return 'drawn';
  if (draw.list) return 'listed';
  return draw.commitment ? 'committed' : 'none';
}

export function presentDraw(draw: PublicDraw, lang: Lang) {
  return {
    reference: draw.reference,
    title: draw.title[lang],
    stage: stageOf(draw),
    opportunityHref: url('opportunity', { ref: draw.reference }, lang),
    jsonHref: url('drawResultsJson', { ref: draw.reference }, lang),
    commitment: draw.commitment?.value,
    committedAt: draw.commitment ? formatDeadline(draw.commitment.committedAt, lang) : '',
    fingerprints: draw.list?.fingerprints ?? [],
    listHash: draw.list?.listHash,
    fixedAt: draw.list ? formatDeadline(draw.list.fixedAt, lang) : '',
    secret: draw.secret?.value,
    revealedAt: draw.secret ? formatDeadline(draw.secret.revealedAt, lang) : '',
    // The order is fingerprints only; the winner is named only if their profile says so.
    order: draw.order,
    winner: draw.winner,
  };
}

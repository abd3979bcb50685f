import nunjucks from 'nunjucks';
import { fromRoot } from './paths.ts';

export type Views = nunjucks.Environment;

/** One Nunjucks environment; per-request values (language, t, url) come in each render's context. */
export function createViews(options: { watch?: boolean; autoescape?: boolean } = {}): Views {
  const loader = new nunjucks.FileSystemLoader(fromRoot('views'), {
    noCache: options.watch ?? false,
  });
  return new nunjucks.Environment(loader, {
    // Off only for plain-text emails, which no browser renders.
    autoescape: options.autoescape ?? true,
    throwOnUndefined: false,
    trimBlocks: true,
    lstripBlocks: true,
  });
}

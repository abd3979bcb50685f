import nunjucks from 'nunjucks';
import { fromRoot } from './paths.ts';

export type Views = nunjucks.Environment;

/** One Nunjucks environment; per-request values (language, t, url) come in each render's context. */
export function createViews(options: { watch?: boolean; autoescape?: boolean } = {}): Views {
  const loader = new nunjucks.FileSystemLoader(fromRoot('views'), {
    noCache: options.watch ?? false,
  });
  const env = new nunjucks.Environment(loader, {
    // Off only for plain-text emails, which no browser renders.
    autoescape: options.autoescape ?? true,
    throwOnUndefined: false,
    trimBlocks: true,
    lstripBlocks: true,
  });
  // Nunjucks' own selectattr ignores a test: `errors | selectattr('field', 'equalto', name)`
  // returned every error, so each field showed the first message. This one honours `equalto`.
  env.addFilter(
    'selectattr',
    (
      items: Record<string, unknown>[] | undefined,
      attr: string,
      test?: string,
      value?: unknown,
    ) => {
      if (test !== undefined && test !== 'equalto') throw new Error(`selectattr: unknown ${test}`);
      return (items ?? []).filter((item) =>
        test === 'equalto' ? item[attr] === value : Boolean(item[attr]),
      );
    },
  );
  return env;
}

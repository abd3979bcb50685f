import type { AppDeps } from '../platform/deps.ts';
import { formatDate } from '../platform/dates.ts';
import { parseForm, positiveWholeNumber } from '../platform/forms.ts';
import { formatCount } from '../questions/public.ts';
import type { PageContext, RouteDef } from '../platform/router.ts';
import { paragraphsOf } from './present.ts';
import { currentTerms, termsVersions } from './repo.ts';
import { TERMS_MAX, termsForm } from './schemas.ts';
import { publishTerms } from './service.ts';

const adminView = 'terms/admin.njk';

export function termsRoutes(deps: AppDeps): RouteDef[] {
  async function adminData(page: PageContext) {
    const versions = await termsVersions(deps.db);
    const current = versions[0]!;
    return {
      current: { number: current.number, at: formatDate(current.published_at, page.lang) },
      versions: versions.map((v) => ({
        number: v.number,
        at: formatDate(v.published_at, page.lang),
      })),
      max: formatCount(TERMS_MAX, page.lang),
      values: { body_en: current.body_en, body_fr: current.body_fr },
    };
  }

  return [
    {
      page: 'terms',
      method: 'get',
      access: 'public',
      async handle(_req, _res, page) {
        const terms = await currentTerms(deps.db);
        page.render('terms/terms.njk', {
          terms: {
            number: terms.number,
            paragraphs: paragraphsOf(terms[`body_${page.lang}`]),
          },
        });
      },
    },
    {
      page: 'adminTerms',
      method: 'get',
      access: { roles: ['platform_admin'] },
      async handle(req, _res, page) {
        const published = positiveWholeNumber(req.query.published);
        page.render(adminView, { ...(await adminData(page)), published });
      },
    },
    {
      page: 'adminTerms',
      method: 'post',
      limit: { name: 'adminTerms', limit: 10, windowMs: 15 * 60 * 1000 },
      access: { roles: ['platform_admin'] },
      async handle(req, res, page) {
        const form = parseForm(termsForm, req, page, adminView, await adminData(page));
        if (!form) return;
        const number = await deps.db.transaction((trx) =>
          publishTerms(trx, page.user!, form, deps.clock.now()),
        );
        res.redirect(303, `${page.url('adminTerms')}?published=${number}`);
      },
    },
  ];
}

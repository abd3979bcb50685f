import type { Request } from 'express';
import { referenceSchema } from '../opportunities/routes.ts';
import type { AppDeps } from '../platform/deps.ts';
import { HttpError } from '../platform/errors.ts';
import type { Access, PageContext, RouteDef } from '../platform/router.ts';
import { findRequest } from '../requests/repo.ts';
import { RepostRefused, repostableStatuses, repostOf, repostOpportunity } from './repost.ts';

const view = 'offers/repost.njk';
const clients: Access = { roles: ['client'], department: 'opportunity' };

export function repostRoutes(deps: AppDeps): RouteDef[] {
  async function pageData(req: Request, page: PageContext) {
    const reference = referenceSchema.safeParse(req.params.ref);
    const o = reference.success ? await findRequest(deps.db, reference.data) : undefined;
    // Clients read only their own requests.
    if (!o || o.requester_id !== page.user?.id) throw new HttpError(404);
    const from = o.reposted_from_id
      ? await deps.db('opportunities').where({ id: o.reposted_from_id }).first('reference')
      : undefined;
    return {
      reference: o.reference,
      title: String(o[`title_${page.lang}`] || o[`title_${o.source_language}`] || ''),
      requestHref: page.url('request', { ref: o.reference }),
      canRepost: repostableStatuses.includes(o.status),
      terminated: o.status === 'terminated',
      repostedAs: await repostOf(deps.db, o.id),
      repostedFrom: from?.reference as string | undefined,
      cancelHref: page.url('cancelRequest', { ref: o.reference }),
    };
  }

  return [
    {
      page: 'repostRequest',
      method: 'get',
      access: clients,
      async handle(req, _res, page) {
        page.render(view, await pageData(req, page));
      },
    },
    {
      page: 'repostRequest',
      method: 'post',
      limit: { name: 'repostRequest', limit: 10, windowMs: 15 * 60 * 1000 },
      access: clients,
      async handle(req, res, page) {
        const data = await pageData(req, page);
        try {
          const reference = await deps.db.transaction((trx) =>
            repostOpportunity(trx, page.user!, data.reference, deps.clock.now()),
          );
          res.redirect(303, page.url('requestStep', { ref: reference, step: 1 }));
        } catch (error) {
          if (!(error instanceof RepostRefused)) throw error;
          const { refusal } = error;
          const message = page.t(`offers.repost.errors.${refusal.code}`, {
            reference: refusal.code === 'already' ? refusal.reference : '',
          });
          page.render(
            view,
            { ...(await pageData(req, page)), errors: [{ field: 'repost-error', message }] },
            409,
          );
        }
      },
    },
  ];
}

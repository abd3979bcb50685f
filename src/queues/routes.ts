import { grantsToConfirm, presentGrantsToConfirm } from '../admin/pending-grants.ts';
import { hasRole } from '../platform/auth.ts';
import type { AppDeps } from '../platform/deps.ts';
import type { RouteDef } from '../platform/router.ts';
import { presentOverrideQueue } from '../review/override-present.ts';
import { overridesToConfirm } from '../review/override-service.ts';
import { presentQueues } from '../review/present.ts';
import { workQueues } from '../review/service.ts';
import { presentLaterQueues } from './present.ts';
import { laterStepQueues, supplierQueues } from './service.ts';

/**
 * "Needs attention" / « À traiter », the page everyone lands on after signing in: one section
 * per role the person holds (the request steps' queues from src/review, the later steps' from
 * here), and a supplier's own when they hold no staff role.
 */
type Section = { role: string; heading: string };

/** Each role under one heading: its request steps' queues first, then its later steps'. */
function oneSectionPerRole<R extends Section, L extends Section & { queues: unknown[] }>(
  requestSteps: (R & { queues: unknown[] })[],
  laterSteps: L[],
) {
  const later = new Map(laterSteps.map((s) => [s.role, s.queues]));
  const merged = requestSteps.map((s) => ({ ...s, later: later.get(s.role) ?? [] }));
  const shown = new Set(merged.map((s) => s.role));
  return [
    ...merged,
    ...laterSteps
      .filter((s) => !shown.has(s.role))
      .map((s) => ({ role: s.role, heading: s.heading, queues: [], later: s.queues })),
  ];
}

async function digestOf(deps: AppDeps, userId: number): Promise<boolean> {
  const row = await deps.db('users').where({ id: userId }).first('queue_digest');
  return row?.queue_digest === true;
}

export function queueRoutes(deps: AppDeps): RouteDef[] {
  return [
    {
      page: 'workQueues',
      method: 'get',
      access: 'signedIn',
      async handle(req, _res, page) {
        const user = page.user!;
        const now = deps.clock.now();
        const staff = user.grants.length > 0;
        const [sections, later, overrides, grants, supplier] = await Promise.all([
          workQueues(deps.db, user),
          laterStepQueues(deps.db, user, now),
          overridesToConfirm(deps.db, user),
          grantsToConfirm(deps.db, user),
          staff ? undefined : supplierQueues(deps.db, user, now),
        ]);
        page.render('review/work-queues.njk', {
          sections: oneSectionPerRole(
            presentQueues(sections, page.lang, page.t, now),
            presentLaterQueues(supplier ? [supplier] : later, page.lang, page.t, now),
          ),
          staff,
          overrides: presentOverrideQueue(overrides, page.lang, page.t),
          // Department administrators: roles another administrator proposed (review H2).
          administers: hasRole(user, ['department_admin']),
          grants: presentGrantsToConfirm(grants, page.lang, page.t),
          digest: await digestOf(deps, user.id),
          digestSaved: req.query.digest === 'saved',
        });
      },
    },
    {
      // The daily digest of overdue lines: off until the person turns it on here.
      page: 'queueDigest',
      method: 'post',
      limit: { name: 'queue-digest', limit: 30, windowMs: 15 * 60 * 1000 },
      shows: 'workQueues',
      access: 'signedIn',
      async handle(req, res, page) {
        const wanted = (req.body as { digest?: unknown } | undefined)?.digest === 'yes';
        await deps.db('users').where({ id: page.user!.id }).update({ queue_digest: wanted });
        res.redirect(303, `${page.url('workQueues')}?digest=saved#digest`);
      },
    },
  ];
}

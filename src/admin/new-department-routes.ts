import type { AppDeps } from '../platform/deps.ts';
import { keepValues, parseForm } from '../platform/forms.ts';
import type { RouteDef } from '../platform/router.ts';
import { createDepartment } from './new-department.ts';
import { settingsForm } from './schemas.ts';

const view = 'admin/new-department.njk';

/** A platform administrator creates a department, then invites its first administrator. */
export function newDepartmentRoutes(deps: AppDeps): RouteDef[] {
  return [
    {
      page: 'adminNewDepartment',
      method: 'get',
      access: { roles: ['platform_admin'] },
      handle(_req, _res, page) {
        page.render(view, { values: { paymentCard: 'yes', paymentPaypal: 'yes' } });
      },
    },
    {
      page: 'adminNewDepartment',
      method: 'post',
      access: { roles: ['platform_admin'] },
      limit: { name: 'admin-new-department', limit: 30, windowMs: 15 * 60 * 1000 },
      async handle(req, res, page) {
        const form = parseForm(settingsForm, req, page, view);
        if (!form) return;
        const outcome = await createDepartment(deps, page.user!, form);
        if (!outcome.ok) {
          const { field, key, values } = outcome.refusal;
          const errors = [{ field, message: page.t(key, values) }];
          return page.render(view, { values: keepValues(req.body), errors }, 400);
        }
        res.redirect(303, `${page.url('adminStaff', { dept: outcome.value })}?done=created`);
      },
    },
  ];
}

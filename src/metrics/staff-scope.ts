import type { Request } from 'express';
import { departmentsOf, hasRole, type CurrentUser } from '../platform/auth.ts';
import { fieldErrors, type FieldError } from '../platform/forms.ts';
import type { Translate } from '../platform/i18n.ts';
import { metricsFilters } from './schemas.ts';
import type { MetricsScope } from './scope.ts';

/**
 * The departments a staff person sees figures and rows of: their own, or every one for a
 * platform administrator (null).
 */
export const visibleDepartments = (user: CurrentUser | undefined): number[] | null =>
  hasRole(user, ['platform_admin']) ? null : departmentsOf(user);

type StaffScope = { ok: true; scope: MetricsScope } | { ok: false; errors: FieldError[] };

/**
 * The scope a staff person asked for, for the page and every export alike: a department of
 * theirs (the first one when they name none), every department for a platform administrator who
 * names none. A malformed value, or a department they may not see, is refused with its message.
 */
export function staffScope(req: Request, user: CurrentUser | undefined, t: Translate): StaffScope {
  const asked = metricsFilters.safeParse(req.query);
  if (!asked.success) return { ok: false, errors: fieldErrors(asked.error, t) };
  const { department, year } = asked.data;
  const visible = visibleDepartments(user);
  if (visible !== null && department !== undefined && !visible.includes(department)) {
    return {
      ok: false,
      errors: [{ field: 'department', message: t('metrics.errors.department') }],
    };
  }
  return {
    ok: true,
    scope: {
      departmentId: visible === null ? department : (department ?? visible[0]),
      fiscalYear: year,
    },
  };
}

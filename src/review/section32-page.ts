import { firstGrantGivenBy } from '../admin/repo.ts';
import { formatDate } from '../platform/dates.ts';
import { HttpError } from '../platform/errors.ts';
import type { AppDeps } from '../platform/deps.ts';
import type { PageContext } from '../platform/router.ts';
import { findRequest } from '../requests/repo.ts';
import { presentSection32Override } from './override-present.ts';
import { section32Standing } from './override-service.ts';
import { presentSection32 } from './present.ts';
import { findDepartmentNames } from './repo.ts';

export const section32View = 'review/approve-funds.njk';

/**
 * What the section 32 page shows: the amounts and coding, and for a manager refused for a
 * conflict, the override part. Both the approval and the override request show it again.
 */
export async function section32PageData(deps: AppDeps, reference: string, page: PageContext) {
  const row = await findRequest(deps.db, reference);
  if (!row) throw new HttpError(404);
  const [department, standing, broughtIn] = await Promise.all([
    findDepartmentNames(deps.db, row.department_id),
    section32Standing(deps.db, row, page.user!),
    row.requester_id === null
      ? undefined
      : firstGrantGivenBy(deps.db, {
          userId: row.requester_id,
          departmentId: row.department_id,
          byId: page.user!.id,
        }),
  ]);
  return {
    request: presentSection32(row, department, page.user!, page.lang, page.t),
    override: presentSection32Override(standing, row.reference, page.lang, page.t),
    // Segregation compares accounts: say so when this manager gave the requester their role.
    requesterBroughtInOn: broughtIn ? formatDate(broughtIn, page.lang) : undefined,
  };
}

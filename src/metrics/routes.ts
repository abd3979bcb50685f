import type { Request } from 'express';
import { departmentsOf, hasRole, type CurrentUser } from '../platform/auth.ts';
import { csvDocument } from '../platform/csv.ts';
import type { AppDeps } from '../platform/deps.ts';
import type { Translate } from '../platform/i18n.ts';
import { roles } from '../platform/roles.ts';
import type { RouteDef } from '../platform/router.ts';
import { presentMetrics } from './present.ts';
import { departmentChoices, firstEventAt } from './repo.ts';
import { metricsFilters } from './schemas.ts';
import { fiscalYearsBetween, type MetricsScope } from './scope.ts';
import { ReportCache } from './report-cache.ts';
import type { MetricsReport } from './service.ts';

/**
 * The departments a staff person sees figures of: their own, or every one for a platform
 * administrator (null).
 */
const visibleDepartments = (user: CurrentUser | undefined): number[] | null =>
  hasRole(user, ['platform_admin']) ? null : departmentsOf(user);

/**
 * The scope a staff person asked for, kept to what they may see: a department of theirs (the
 * first one when they name none or another), every department for a platform administrator
 * who names none.
 */
function staffScope(req: Request, user: CurrentUser | undefined): MetricsScope {
  const asked = metricsFilters.parse(req.query);
  const visible = visibleDepartments(user);
  const departmentId =
    visible === null || (asked.department !== undefined && visible.includes(asked.department))
      ? asked.department
      : visible[0];
  return { departmentId, fiscalYear: asked.year };
}

function cycleTimesCsv(report: MetricsReport, t: Translate): string {
  const header = [
    t('metrics.csv.step'),
    t('metrics.csv.count'),
    t('metrics.csv.median'),
    t('metrics.csv.p90'),
    t('metrics.csv.medianBusiness'),
    t('metrics.csv.p90Business'),
  ];
  const rows = [
    ...report.cycle.steps.map((s) => ({ label: t(`metrics.steps.${s.entity}.${s.state}`), ...s })),
    ...report.cycle.journeys.map((j) => ({ label: t(`metrics.journeys.${j.journey}`), ...j })),
  ].map((d) => [
    d.label,
    d.count,
    d.medianDays?.toFixed(2),
    d.p90Days?.toFixed(2),
    d.medianBusinessDays?.toFixed(1),
    d.p90BusinessDays?.toFixed(1),
  ]);
  return csvDocument(header, rows);
}

const staffRoles = roles;

export function metricsRoutes(deps: AppDeps): RouteDef[] {
  const reports = new ReportCache(deps.db, deps.clock);
  return [
    {
      page: 'metrics',
      method: 'get',
      access: 'public',
      cache: true,
      async handle(_req, _res, page) {
        const report = await reports.get({});
        page.render('metrics/public.njk', { m: presentMetrics(report, page.lang, page.t) });
      },
    },
    {
      page: 'staffMetrics',
      method: 'get',
      access: { roles: staffRoles },
      async handle(req, _res, page) {
        const scope = staffScope(req, page.user);
        const now = deps.clock.now();
        const [report, departments, first] = await Promise.all([
          reports.get(scope),
          departmentChoices(deps.db, visibleDepartments(page.user)),
          firstEventAt(deps.db),
        ]);
        page.render('metrics/staff.njk', {
          m: presentMetrics(report, page.lang, page.t),
          scope,
          allDepartments: visibleDepartments(page.user) === null,
          departments: departments.map((d) => ({
            value: String(d.id),
            text: page.lang === 'fr' ? d.name_fr : d.name_en,
          })),
          years: fiscalYearsBetween(first ?? now, now),
          csvQuery: new URLSearchParams({
            ...(scope.departmentId === undefined ? {} : { department: String(scope.departmentId) }),
            ...(scope.fiscalYear === undefined ? {} : { year: String(scope.fiscalYear) }),
          }).toString(),
        });
      },
    },
    {
      page: 'cycleTimesCsv',
      method: 'get',
      access: { roles: staffRoles },
      async handle(req, res, page) {
        const report = await reports.get(staffScope(req, page.user));
        res.attachment(page.lang === 'en' ? 'cycle-times.csv' : 'durees-des-etapes.csv');
        res.type('text/csv; charset=utf-8; header=present').send(cycleTimesCsv(report, page.t));
      },
    },
  ];
}

import type { Response } from 'express';
import { csvDocument } from '../platform/csv.ts';
import { easternDate } from '../platform/dates.ts';
import type { AppDeps } from '../platform/deps.ts';
import type { FieldError } from '../platform/forms.ts';
import type { Translate } from '../platform/i18n.ts';
import { roles } from '../platform/roles.ts';
import type { PageContext, RouteDef } from '../platform/router.ts';
import { exportFile, staffExports, type StaffExport } from './export-files.ts';
import { presentMetrics } from './present.ts';
import { departmentChoices, firstEventAt } from './repo.ts';
import { fiscalYearOf, fiscalYearsBetween, periodOf, type MetricsScope } from './scope.ts';
import { ReportCache } from './report-cache.ts';
import type { MetricsReport } from './service.ts';
import { staffScope, visibleDepartments } from './staff-scope.ts';

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

const exportPages = {
  opportunities: 'opportunitiesExportCsv',
  applications: 'applicationsExportCsv',
  payments: 'paymentsExportCsv',
  quarters: 'quartersExportCsv',
} as const satisfies Record<StaffExport, string>;

/** The scope as the query string the page's links carry. */
const queryOf = (scope: MetricsScope) =>
  new URLSearchParams({
    ...(scope.departmentId === undefined ? {} : { department: String(scope.departmentId) }),
    ...(scope.fiscalYear === undefined ? {} : { year: String(scope.fiscalYear) }),
  }).toString();

/** A file's name in the page's language, with its fiscal year when one is chosen. */
function fileName(t: Translate, which: StaffExport | 'cycleTimes', scope: MetricsScope): string {
  const year = scope.fiscalYear;
  return `${t(`metrics.exports.files.${which}`)}${year === undefined ? '' : `-${year}-${year + 1}`}.csv`;
}

function sendCsv(res: Response, name: string, body: string): void {
  res.attachment(name);
  res.type('text/csv; charset=utf-8; header=present').send(body);
}

export function metricsRoutes(deps: AppDeps): RouteDef[] {
  const reports = new ReportCache(deps.db, deps.clock);

  /** The filters' choices: the person's departments, the fiscal years since the first event. */
  async function filterChoices(page: PageContext) {
    const now = deps.clock.now();
    const visible = visibleDepartments(page.user);
    const [departments, first] = await Promise.all([
      departmentChoices(deps.db, visible),
      firstEventAt(deps.db),
    ]);
    return {
      allDepartments: visible === null,
      departments: departments.map((d) => ({
        value: String(d.id),
        text: page.lang === 'fr' ? d.name_fr : d.name_en,
      })),
      years: fiscalYearsBetween(first ?? now, now),
    };
  }

  /** The staff page: its figures for a scope, or the filters' messages (400) and no figures. */
  async function staffPage(
    page: PageContext,
    asked: { scope: MetricsScope } | { errors: FieldError[] },
  ): Promise<void> {
    if ('errors' in asked) {
      const form = await filterChoices(page);
      page.render('metrics/staff.njk', { ...form, errors: asked.errors, scope: {} }, 400);
      return;
    }
    const [report, form] = await Promise.all([reports.get(asked.scope), filterChoices(page)]);
    const query = queryOf(asked.scope);
    const withQuery = (href: string) => (query ? `${href}?${query}` : href);
    page.render('metrics/staff.njk', {
      ...form,
      m: presentMetrics(report, page.lang, page.t),
      scope: asked.scope,
      cycleTimesCsv: withQuery(page.url('cycleTimesCsv')),
      exports: staffExports.map((which) => ({
        which,
        href: withQuery(page.url(exportPages[which])),
      })),
    });
  }

  const exportRoute = (which: StaffExport): RouteDef => ({
    page: exportPages[which],
    method: 'get',
    access: { roles: staffRoles },
    async handle(req, res, page) {
      const asked = staffScope(req, page.user, page.t);
      if (!asked.ok) return staffPage(page, asked);
      const now = deps.clock.now();
      const first = (await firstEventAt(deps.db)) ?? now;
      const { fiscalYear } = asked.scope;
      const body = await exportFile[which]({
        db: deps.db,
        scope: { ...periodOf(asked.scope), departmentId: asked.scope.departmentId ?? null },
        lang: page.lang,
        t: page.t,
        showsSuppliers: visibleDepartments(page.user) === null,
        years: {
          first: fiscalYear ?? fiscalYearOf(first),
          last: fiscalYear ?? fiscalYearOf(now),
          today: easternDate(now),
        },
      });
      sendCsv(res, fileName(page.t, which, asked.scope), body);
    },
  });

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
        const asked = staffScope(req, page.user, page.t);
        await staffPage(page, asked);
      },
    },
    {
      page: 'cycleTimesCsv',
      method: 'get',
      access: { roles: staffRoles },
      async handle(req, res, page) {
        const asked = staffScope(req, page.user, page.t);
        if (!asked.ok) return staffPage(page, asked);
        const report = await reports.get(asked.scope);
        sendCsv(res, fileName(page.t, 'cycleTimes', asked.scope), cycleTimesCsv(report, page.t));
      },
    },
    ...staffExports.map(exportRoute),
  ];
}

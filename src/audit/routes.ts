import type { Request, Response } from 'express';
import { findDepartment } from '../admin/repo.ts';
import { isPlatformAdmin } from '../admin/rules.ts';
import { csvDocument } from '../platform/csv.ts';
import type { AppDeps } from '../platform/deps.ts';
import { HttpError } from '../platform/errors.ts';
import { fieldErrors, keepValues } from '../platform/forms.ts';
import type { Access, PageContext, RouteDef } from '../platform/router.ts';
import type { PageName } from '../platform/routes.ts';
import { auditCsvHeader, auditCsvRows, actorLabel, presentAuditRows } from './present.ts';
import {
  AUDIT_PAGE_SIZE,
  auditChoices,
  auditEvents,
  countAuditEvents,
  findOpportunityByReference,
  type AuditScope,
} from './repo.ts';
import { auditFilters, type AuditFilters } from './schemas.ts';

/**
 * Who reads an audit log: the department's administrators, and the platform administrators
 * (who administer every department). Other staff read an opportunity's history on its file.
 */
const auditors = ['department_admin', 'platform_admin'] as const;
const departmentAuditors: Access = { roles: auditors, department: 'param' };
const opportunityAuditors: Access = { roles: auditors, department: 'opportunity' };

interface Subject {
  scope: AuditScope;
  title: string;
  page: PageName;
  csv: PageName;
  params: Record<string, string>;
  crumbs: { text: string; href?: string }[];
}

async function subjectOf(
  deps: AppDeps,
  req: Request,
  page: PageContext,
  of: 'department' | 'opportunity',
): Promise<Subject> {
  const departments = {
    text: page.t('admin.departments.title'),
    href: page.url('adminDepartments'),
  };
  if (of === 'department') {
    const department =
      page.departmentId === undefined
        ? undefined
        : await findDepartment(deps.db, page.departmentId);
    if (!department) throw new HttpError(404);
    const acronym = page.lang === 'fr' ? department.acronym_fr : department.acronym_en;
    const params = { dept: String(req.params.dept) };
    return {
      scope: { departmentId: department.id },
      title: page.t('audit.titleDepartment', { department: acronym }),
      page: 'departmentAudit',
      csv: 'departmentAuditCsv',
      params,
      crumbs: [departments, { text: page.t('audit.title') }],
    };
  }
  const opportunity = await findOpportunityByReference(deps.db, String(req.params.ref));
  if (!opportunity) throw new HttpError(404);
  return {
    scope: { opportunityId: opportunity.id },
    title: page.t('audit.titleOpportunity', { reference: opportunity.reference }),
    page: 'opportunityAudit',
    csv: 'opportunityAuditCsv',
    params: { ref: opportunity.reference },
    crumbs: [departments, { text: page.t('audit.title') }],
  };
}

/** The filters as a query string, without the page (the links add theirs). */
function queryOf(f: AuditFilters, pageNumber?: number): string {
  const q = new URLSearchParams();
  if (f.person !== undefined) q.set('person', String(f.person));
  if (f.action) q.set('action', f.action);
  if (f.from) q.set('from', f.from);
  if (f.to) q.set('to', f.to);
  if (pageNumber !== undefined && pageNumber > 1) q.set('page', String(pageNumber));
  const text = q.toString();
  return text ? `?${text}` : '';
}

/**
 * Reads the filters; a bad one (or a person the viewer may not pick, a supplier for department
 * staff) re-renders the page with its message and what was typed, and answers undefined.
 */
async function readFilters(deps: AppDeps, req: Request, page: PageContext, subject: Subject) {
  const showsSuppliers = isPlatformAdmin(page.user!);
  const choices = await auditChoices(deps.db, subject.scope);
  const people = choices.people
    .filter((p) => showsSuppliers || p.kind === 'staff')
    .map((p) => ({
      value: String(p.id),
      label: actorLabel(
        { actor_kind: p.kind, actor_name: p.name, actor_email: p.email },
        true,
        page.t,
      ),
    }));
  const data = {
    subject,
    formAction: page.url(subject.page, subject.params),
    people,
    actions: choices.actions.map((a) => ({ value: a, label: a })),
  };
  const parsed = auditFilters.safeParse(req.query);
  let errors = parsed.success ? [] : fieldErrors(parsed.error, page.t);
  if (
    parsed.success &&
    parsed.data.person !== undefined &&
    !people.some((p) => p.value === String(parsed.data.person))
  ) {
    errors = [{ field: 'person', message: page.t('audit.errors.person') }];
  }
  if (!parsed.success || errors.length) {
    page.render(
      'audit/log.njk',
      { ...data, values: keepValues(req.query), errors, events: [] },
      400,
    );
    return undefined;
  }
  return { filters: parsed.data, showsSuppliers, data };
}

export function auditRoutes(deps: AppDeps): RouteDef[] {
  function logPage(of: 'department' | 'opportunity', access: Access): RouteDef {
    return {
      page: of === 'department' ? 'departmentAudit' : 'opportunityAudit',
      method: 'get',
      access,
      async handle(req, _res, page) {
        const subject = await subjectOf(deps, req, page, of);
        const read = await readFilters(deps, req, page, subject);
        if (!read) return;
        const { filters, showsSuppliers, data } = read;
        const total = await countAuditEvents(deps.db, subject.scope, filters);
        const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
        const rows = await auditEvents(deps.db, subject.scope, filters, filters.page);
        const here = page.url(subject.page, subject.params);
        page.render('audit/log.njk', {
          ...data,
          values: keepValues(req.query),
          events: presentAuditRows(rows, showsSuppliers, page.lang, page.t),
          total,
          pageNumber: filters.page,
          pages,
          previous: filters.page > 1 ? here + queryOf(filters, filters.page - 1) : undefined,
          next: filters.page < pages ? here + queryOf(filters, filters.page + 1) : undefined,
          csvUrl: page.url(subject.csv, subject.params) + queryOf(filters),
        });
      },
    };
  }

  function csvRoute(of: 'department' | 'opportunity', access: Access): RouteDef {
    return {
      page: of === 'department' ? 'departmentAuditCsv' : 'opportunityAuditCsv',
      method: 'get',
      access,
      async handle(req, res: Response, page) {
        const subject = await subjectOf(deps, req, page, of);
        const read = await readFilters(deps, req, page, subject);
        if (!read) return;
        const rows = await auditEvents(deps.db, subject.scope, read.filters);
        const name = `${page.t('audit.csvName')}-${Object.values(subject.params)[0]}.csv`;
        res.attachment(name);
        res
          .type('text/csv; charset=utf-8; header=present')
          .send(
            csvDocument(
              auditCsvHeader(page.t),
              auditCsvRows(rows, read.showsSuppliers, page.lang, page.t),
            ),
          );
      },
    };
  }

  return [
    logPage('department', departmentAuditors),
    csvRoute('department', departmentAuditors),
    logPage('opportunity', opportunityAuditors),
    csvRoute('opportunity', opportunityAuditors),
  ];
}

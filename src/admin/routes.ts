import type { Request } from 'express';
import type { AppDeps } from '../platform/deps.ts';
import { departmentRoles } from '../platform/roles.ts';
import { resetPasswordForm, tokenParam } from '../accounts/schemas.ts';
import { HttpError } from '../platform/errors.ts';
import { keepValues, parseForm, secretFields } from '../platform/forms.ts';
import type { Lang, Translate } from '../platform/i18n.ts';
import { formatMoney } from '../platform/money.ts';
import type { Access, PageContext, RouteDef } from '../platform/router.ts';
import { departmentSlug, findDepartment, type DepartmentRow } from './repo.ts';
import { grantForm, inviteForm, revokeForm, settingsForm, staffActions } from './schemas.ts';
import {
  acceptInvitation,
  administeredDepartments,
  departmentStaff,
  grantRole,
  inviteStaff,
  revokeRole,
  settingsOf,
  updateSettings,
  type Refusal,
} from './service.ts';

/** A department administrator of the department in the URL, or a platform administrator. */
const departmentAdmin: Access = { roles: ['department_admin'], department: 'param' };

function presentDepartment(d: DepartmentRow, lang: Lang) {
  return {
    slug: departmentSlug(d),
    name: lang === 'fr' ? d.name_fr : d.name_en,
    acronym: lang === 'fr' ? d.acronym_fr : d.acronym_en,
  };
}

async function departmentOf(deps: AppDeps, page: PageContext): Promise<DepartmentRow> {
  const department =
    page.departmentId === undefined ? undefined : await findDepartment(deps.db, page.departmentId);
  if (!department) throw new HttpError(404);
  return department;
}

function settingsValues(d: DepartmentRow): Record<string, string> {
  const s = settingsOf(d);
  return {
    nameEn: s.nameEn,
    nameFr: s.nameFr,
    acronymEn: s.acronymEn,
    acronymFr: s.acronymFr,
    costCentres: s.costCentres.join('\n'),
    paymentCard: s.paymentMethods.includes('card_direct') ? 'yes' : '',
    paymentCardPaypal: s.paymentMethods.includes('card_paypal_checkout') ? 'yes' : '',
    paymentPaypal: s.paymentMethods.includes('paypal_payout') ? 'yes' : '',
    cardExemptionReference: s.cardExemptionReference ?? '',
  };
}

const roleOptions = (t: Translate) =>
  departmentRoles.map((role) => ({ value: role, label: t(`roles.${role}`) }));

const refusalErrors = (refusal: Refusal, t: Translate) => [
  { field: refusal.field, message: t(refusal.key) },
];

export function adminRoutes(deps: AppDeps): RouteDef[] {
  const settingsView = 'admin/department.njk';
  const staffView = 'admin/staff.njk';

  async function staffPage(page: PageContext) {
    const department = await departmentOf(deps, page);
    const staff = await departmentStaff(deps, department.id);
    return {
      departmentId: department.id,
      data: {
        department: presentDepartment(department, page.lang),
        staff: staff.map((member) => ({
          ...member,
          grants: member.grants.map((g) => ({
            id: g.id,
            role: page.t(`roles.${g.role}`),
            limit: g.limitCents === null ? '' : formatMoney(g.limitCents, page.lang),
            // The service refuses it anyway; no button to press for nothing.
            revocable: !(member.userId === page.user?.id && g.role === 'department_admin'),
          })),
        })),
        staffOptions: staff.map((m) => ({
          value: String(m.userId),
          label: m.displayName ? `${m.displayName} (${m.email})` : m.email,
        })),
        roleOptions: roleOptions(page.t),
      },
    };
  }

  /**
   * Runs the staff page form that was sent (invite, grant or revoke) and returns which one, or
   * undefined after re-rendering the page with the errors or the refusal.
   */
  async function runStaffAction(req: Request, page: PageContext) {
    const { departmentId, data } = await staffPage(page);
    const actor = page.user!;
    const action = staffActions.safeParse((req.body as { action?: unknown } | undefined)?.action);
    if (!action.success) {
      const errors = [{ field: 'grants', message: page.t('admin.errors.action') }];
      page.render(staffView, { ...data, values: {}, errors }, 400);
      return undefined;
    }
    let outcome;
    if (action.data === 'invite') {
      const form = parseForm(inviteForm, req, page, staffView, data);
      if (!form) return undefined;
      outcome = await inviteStaff(deps, actor, departmentId, form);
    } else if (action.data === 'grant') {
      const form = parseForm(grantForm, req, page, staffView, data);
      if (!form) return undefined;
      outcome = await grantRole(deps, actor, departmentId, form);
    } else {
      const form = parseForm(revokeForm, req, page, staffView, data);
      if (!form) return undefined;
      outcome = await revokeRole(deps, actor, departmentId, form.grant);
    }
    if (outcome.ok) return action.data;
    // The refusal is about the page as it is now: show it fresh, with what was typed.
    const fresh = await staffPage(page);
    page.render(
      staffView,
      {
        ...fresh.data,
        values: keepValues(req.body, secretFields),
        errors: refusalErrors(outcome.refusal, page.t),
      },
      outcome.refusal.key === 'admin.errors.grantGone' ? 409 : 400,
    );
    return undefined;
  }

  return [
    {
      page: 'adminDepartments',
      method: 'get',
      access: { roles: ['department_admin'] },
      async handle(_req, _res, page) {
        const departments = await administeredDepartments(deps, page.user!);
        page.render('admin/departments.njk', {
          departments: departments.map((d) => presentDepartment(d, page.lang)),
        });
      },
    },
    {
      page: 'adminDepartment',
      method: 'get',
      access: departmentAdmin,
      async handle(req, _res, page) {
        const department = await departmentOf(deps, page);
        page.render(settingsView, {
          department: presentDepartment(department, page.lang),
          values: settingsValues(department),
          saved: req.query.saved === '1',
        });
      },
    },
    {
      page: 'adminDepartment',
      method: 'post',
      access: departmentAdmin,
      async handle(req, res, page) {
        const department = await departmentOf(deps, page);
        const data = { department: presentDepartment(department, page.lang) };
        const form = parseForm(settingsForm, req, page, settingsView, data);
        if (!form) return;
        const outcome = await updateSettings(deps, page.user!, department.id, form);
        if (!outcome.ok) {
          return page.render(
            settingsView,
            {
              ...data,
              values: keepValues(req.body),
              errors: refusalErrors(outcome.refusal, page.t),
            },
            400,
          );
        }
        res.redirect(303, `${page.url('adminDepartment', { dept: outcome.value })}?saved=1`);
      },
    },
    {
      page: 'adminStaff',
      method: 'get',
      access: departmentAdmin,
      async handle(req, _res, page) {
        const { data } = await staffPage(page);
        const done = staffActions.safeParse(req.query.done);
        page.render(staffView, {
          ...data,
      limit: { name: 'admin-department', limit: 60, windowMs: 15 * 60 * 1000 },
          values: { inviteLanguage: page.lang },
          done: done.success ? done.data : undefined,
        });
      },
    },
    {
      page: 'adminStaff',
      method: 'post',
      access: departmentAdmin,
      // Invitations send email: limited like every other form that does.
      limit: { name: 'admin-staff', limit: 60, windowMs: 15 * 60 * 1000 },
      async handle(req, res, page) {
        const done = await runStaffAction(req, page);
        if (!done) return;
        const dept = String(req.params.dept);
        res.redirect(303, `${page.url('adminStaff', { dept })}?done=${done}`);
      },
    },
    {
      page: 'acceptInvitation',
      method: 'get',
      access: 'public',
      handle(req, _res, page) {
        const view = 'admin/accept-invitation.njk';
        if (!tokenParam.safeParse(req.params.token).success) {
          return page.render(view, { invalid: true }, 400);
        }
        page.render(view, { token: req.params.token, values: {} });
      },
    },
    {
      page: 'acceptInvitation',
      method: 'post',
      access: 'public',
      // Each accepted link costs an argon2 hash: limited like forgot-password.
      limit: { name: 'accept-invitation', limit: 10, windowMs: 15 * 60 * 1000 },
      async handle(req, _res, page) {
        const view = 'admin/accept-invitation.njk';
        const token = tokenParam.safeParse(req.params.token);
        const form = parseForm(resetPasswordForm, req, page, view, { token: req.params.token });
        if (!form) return;
        if (!token.success || !(await acceptInvitation(deps, token.data, form.password))) {
          return page.render(view, { invalid: true }, 400);
        }
        page.render(view, { accepted: true });
      },
    },
  ];
}

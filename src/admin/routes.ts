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
import { confirmGrant, declineGrant } from './grant-proposals.ts';
import { acceptInvitation, inviteStaff } from './invitations.ts';
import { resendInvitation, revokeInvitation } from './pending-invitations.ts';
import { presentPendingGrants } from './pending-grants.ts';
import { pendingGrants } from './repo.ts';
import { isPlatformAdmin, type Refusal } from './rules.ts';
import {
  grantForm,
  inviteForm,
  memberForm,
  proposalForm,
  revokeForm,
  settingsForm,
  staffActions,
  staffNotices,
  type StaffNotice,
} from './schemas.ts';
import {
  administeredDepartments,
  departmentStaff,
  grantRole,
  revokeRole,
  settingsOf,
  updateSettings,
} from './service.ts';

/** The administrators: the department's own (of the department in the URL), or the platform's. */
const administrators = ['department_admin', 'platform_admin'] as const;
const departmentAdmin: Access = { roles: administrators, department: 'param' };

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
    emailDomains: s.emailDomains.join('\n'),
    secondEvaluator: s.secondEvaluatorRequired ? 'yes' : '',
  };
}

const roleOptions = (t: Translate) =>
  departmentRoles.map((role) => ({ value: role, label: t(`roles.${role}`) }));

const refusalErrors = (refusal: Refusal, t: Translate) => [
  { field: refusal.field, message: t(refusal.key, refusal.values) },
];

export function adminRoutes(deps: AppDeps): RouteDef[] {
  const settingsView = 'admin/department.njk';
  const staffView = 'admin/staff.njk';

  async function staffPage(page: PageContext) {
    const department = await departmentOf(deps, page);
    const staff = await departmentStaff(deps, department.id);
    const pending = await pendingGrants(deps.db, [department.id]);
    return {
      departmentId: department.id,
      data: {
        department: presentDepartment(department, page.lang),
        pending: presentPendingGrants(pending, page.user!, page.lang, page.t),
        domains: department.email_domains,
        staff: staff.map((member) => ({
          ...member,
          grants: member.grants.map((g) => ({
            id: g.id,
            role: page.t(`roles.${g.role}`),
            limit: g.limitCents === null ? '' : formatMoney(g.limitCents, page.lang),
            // The service refuses it anyway; no button to press for nothing.
            revocable: !(member.userId === page.user?.id && g.role === 'department_admin'),
          })),
          invitationPending: member.grants.some((g) => g.invitationPending),
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
  async function runStaffAction(req: Request, page: PageContext): Promise<StaffNotice | undefined> {
    const { departmentId, data } = await staffPage(page);
    const actor = page.user!;
    const action = staffActions.safeParse((req.body as { action?: unknown } | undefined)?.action);
    if (!action.success) {
      const errors = [{ field: 'grants', message: page.t('admin.errors.action') }];
      page.render(staffView, { ...data, values: {}, errors }, 400);
      return undefined;
    }
    let outcome: { ok: true; value: StaffNotice } | { ok: false; refusal: Refusal };
    if (action.data === 'invite') {
      const form = parseForm(inviteForm, req, page, staffView, data);
      if (!form) return undefined;
      outcome = await inviteStaff(deps, actor, departmentId, form);
    } else if (action.data === 'grant') {
      const form = parseForm(grantForm, req, page, staffView, data);
      if (!form) return undefined;
      outcome = await grantRole(deps, actor, departmentId, form);
    } else if (action.data === 'resendInvitation' || action.data === 'revokeInvitation') {
      const form = parseForm(memberForm, req, page, staffView, data);
      if (!form) return undefined;
      const run = action.data === 'resendInvitation' ? resendInvitation : revokeInvitation;
      outcome = await run(deps, actor, departmentId, form.member);
    } else if (action.data === 'revoke') {
      const form = parseForm(revokeForm, req, page, staffView, data);
      if (!form) return undefined;
      const revoked = await revokeRole(deps, actor, departmentId, form.grant);
      outcome = revoked.ok ? { ok: true, value: 'revoke' } : revoked;
    } else {
      const form = parseForm(proposalForm, req, page, staffView, data);
      if (!form) return undefined;
      const decide = action.data === 'confirm' ? confirmGrant : declineGrant;
      const decision = { proposalId: form.proposal, version: form.version };
      const decided = await decide(deps, actor, departmentId, decision);
      outcome = decided.ok
        ? { ok: true, value: action.data }
        : { ok: false, refusal: { field: 'pending', key: decided.key } };
    }
    if (outcome.ok) return outcome.value;
    // The refusal is about the page as it is now: show it fresh, with what was typed.
    const fresh = await staffPage(page);
    page.render(
      staffView,
      {
        ...fresh.data,
        values: keepValues(req.body, secretFields),
        errors: refusalErrors(outcome.refusal, page.t),
      },
      [
        'admin.errors.grantGone',
        'admin.errors.proposalGone',
        'admin.errors.invitationGone',
      ].includes(outcome.refusal.key)
        ? 409
        : 400,
    );
    return undefined;
  }

  return [
    {
      page: 'adminDepartments',
      method: 'get',
      access: { roles: administrators },
      async handle(_req, _res, page) {
        const departments = await administeredDepartments(deps, page.user!);
        page.render('admin/departments.njk', {
          departments: departments.map((d) => presentDepartment(d, page.lang)),
          managesTerms: isPlatformAdmin(page.user!),
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
          setsDomains: isPlatformAdmin(page.user!),
          domains: department.email_domains,
          values: settingsValues(department),
          saved: req.query.saved === '1',
        });
      },
    },
    {
      page: 'adminDepartment',
      method: 'post',
      limit: { name: 'admin-department', limit: 60, windowMs: 15 * 60 * 1000 },
      access: departmentAdmin,
      async handle(req, res, page) {
        const department = await departmentOf(deps, page);
        const data = {
          department: presentDepartment(department, page.lang),
          setsDomains: isPlatformAdmin(page.user!),
          domains: department.email_domains,
        };
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
        const done = staffNotices.safeParse(req.query.done);
        page.render(staffView, {
          ...data,
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

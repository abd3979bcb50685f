import { recordEvent } from '../lifecycle/events.ts';
import type { Knex } from 'knex';
import type { Grant, Role } from '../platform/roles.ts';
import type { Db } from '../db/knex.ts';
import { isReference } from '../opportunities/reference.ts';
import type { PaymentMethod } from '../platform/payment-methods.ts';

type Conn = Db | Knex.Transaction;

export interface DepartmentRow {
  id: number;
  acronym_en: string;
  acronym_fr: string;
  name_en: string;
  name_fr: string;
  cost_centres: string[];
  payment_methods: PaymentMethod[];
  card_exemption_reference: string | null;
  email_domains: string[];
  second_evaluator_required: boolean;
}

export interface DepartmentSettings {
  acronymEn: string;
  acronymFr: string;
  nameEn: string;
  nameFr: string;
  costCentres: string[];
  paymentMethods: PaymentMethod[];
  cardExemptionReference: string | null;
  /** Where its staff's addresses end (`esdc-edsc.gc.ca`): invitations go to these only. */
  emailDomains: string[];
  /** Two independent evaluators evaluate each opportunity's applications (src/evaluation/). */
  secondEvaluatorRequired: boolean;
}

/** A department's address in admin URLs: its English acronym in lower case, e.g. `esdc`. */
export const departmentSlug = (d: { acronym_en: string }) => d.acronym_en.toLowerCase();

const SLUG = /^[a-z0-9-]{1,20}$/;

export async function findDepartmentIdBySlug(db: Conn, slug: unknown): Promise<number | undefined> {
  if (typeof slug !== 'string' || !SLUG.test(slug)) return undefined;
  const row = await db('departments').whereRaw('lower(acronym_en) = ?', [slug]).first('id');
  return row?.id;
}

/** The department an opportunity or request belongs to, from its reference (MA-2026-0001). */
export async function findDepartmentIdByReference(
  db: Conn,
  reference: unknown,
): Promise<number | undefined> {
  if (!isReference(reference)) return undefined;
  const row = await db('opportunities').where({ reference }).first('department_id');
  return row?.department_id;
}

const departmentColumns = [
  'id',
  'acronym_en',
  'acronym_fr',
  'name_en',
  'name_fr',
  'cost_centres',
  'payment_methods',
  'card_exemption_reference',
  'email_domains',
  'second_evaluator_required',
];

export function findDepartment(db: Conn, id: number): Promise<DepartmentRow | undefined> {
  return db('departments').where({ id }).first(departmentColumns);
}

/** Every department, or only those listed (the ones a department administrator runs). */
export function listDepartments(db: Conn, only?: number[]): Promise<DepartmentRow[]> {
  const query = db('departments').select(departmentColumns).orderBy('acronym_en');
  return only ? query.whereIn('id', only) : query;
}

/** Another department already known by this acronym, whatever its case. */
export async function acronymTaken(
  db: Conn,
  departmentId: number,
  acronym: { en: string; fr: string },
): Promise<{ en: boolean; fr: boolean }> {
  const rows: { acronym_en: string; acronym_fr: string }[] = await db('departments')
    .whereNot({ id: departmentId })
    .andWhere((q) =>
      q
        .whereRaw('lower(acronym_en) = lower(?)', [acronym.en])
        .orWhereRaw('lower(acronym_fr) = lower(?)', [acronym.fr]),
    )
    .select('acronym_en', 'acronym_fr');
  return {
    en: rows.some((r) => r.acronym_en.toLowerCase() === acronym.en.toLowerCase()),
    fr: rows.some((r) => r.acronym_fr.toLowerCase() === acronym.fr.toLowerCase()),
  };
}

export async function updateDepartment(
  trx: Knex.Transaction,
  id: number,
  s: DepartmentSettings,
): Promise<void> {
  await trx('departments').where({ id }).update({
    acronym_en: s.acronymEn,
    acronym_fr: s.acronymFr,
    name_en: s.nameEn,
    name_fr: s.nameFr,
    cost_centres: s.costCentres,
    payment_methods: s.paymentMethods,
    card_exemption_reference: s.cardExemptionReference,
    email_domains: s.emailDomains,
    second_evaluator_required: s.secondEvaluatorRequired,
  });
}

/** A new department with its settings; returns its id. */
export async function insertDepartment(
  trx: Knex.Transaction,
  s: DepartmentSettings,
  now: Date,
): Promise<number> {
  const [row] = await trx('departments')
    .insert({
      acronym_en: s.acronymEn,
      acronym_fr: s.acronymFr,
      name_en: s.nameEn,
      name_fr: s.nameFr,
      cost_centres: s.costCentres,
      payment_methods: s.paymentMethods,
      card_exemption_reference: s.cardExemptionReference,
      email_domains: s.emailDomains,
      second_evaluator_required: s.secondEvaluatorRequired,
      created_at: now,
    })
    .returning('id');
  return Number(row.id);
}

export interface StaffGrant {
  id: number;
  userId: number;
  email: string;
  displayName: string;
  role: Role;
  limitCents: number | null;
  grantedAt: Date;
  /** Invited, and no password chosen from the link yet. */
  invitationPending: boolean;
}

/** The active grants held in one department, with their holders, by person then role. */
export function activeDepartmentGrants(db: Conn, departmentId: number): Promise<StaffGrant[]> {
  return db('role_grants as g')
    .join('users as u', 'u.id', 'g.user_id')
    .where('g.department_id', departmentId)
    .whereNull('g.revoked_at')
    .whereNull('u.closed_at')
    .orderBy([{ column: 'u.email' }, { column: 'g.role' }])
    .select(
      'g.id',
      'g.user_id as userId',
      'u.email',
      'u.display_name as displayName',
      'g.role',
      'g.delegated_limit_cents as limitCents',
      'g.granted_at as grantedAt',
      db.raw('(u.password_hash is null) as "invitationPending"'),
    );
}

export async function findActiveGrant(
  db: Conn,
  departmentId: number,
  grantId: number,
): Promise<(Grant & { id: number; userId: number }) | undefined> {
  return db('role_grants')
    .where({ id: grantId, department_id: departmentId })
    .whereNull('revoked_at')
    .first(
      'id',
      'user_id as userId',
      'role',
      'department_id as departmentId',
      'delegated_limit_cents as limitCents',
    );
}

export async function holdsRole(
  db: Conn,
  userId: number,
  departmentId: number,
  role: Role,
): Promise<boolean> {
  const row = await db('role_grants')
    .where({ user_id: userId, department_id: departmentId, role })
    .whereNull('revoked_at')
    .first('id');
  return row !== undefined;
}

export async function isStaffOf(db: Conn, userId: number, departmentId: number): Promise<boolean> {
  const row = await db('role_grants')
    .where({ user_id: userId, department_id: departmentId })
    .whereNull('revoked_at')
    .first('id');
  return row !== undefined;
}

export interface NewGrant {
  userId: number;
  departmentId: number;
  role: Role;
  limitCents: number | null;
  /** The delegation instrument a section 32 grant rests on. */
  delegationReference?: string | null;
  /** The second administrator, for the roles that need one (the database insists). */
  confirmedBy?: number;
}

export async function insertGrant(
  trx: Knex.Transaction,
  g: NewGrant,
  by: number,
  at: Date,
): Promise<number> {
  const [row] = await trx('role_grants')
    .insert({
      user_id: g.userId,
      department_id: g.departmentId,
      role: g.role,
      delegated_limit_cents: g.limitCents,
      delegation_reference: g.delegationReference ?? null,
      granted_by: by,
      confirmed_by: g.confirmedBy ?? null,
      granted_at: at,
    })
    .returning('id');
  return row.id;
}

/** The people who administer a department, to tell of its grants (closed accounts excepted). */
export function departmentAdministrators(
  db: Conn,
  departmentId: number,
): Promise<{ id: number; email: string; language: 'en' | 'fr' }[]> {
  return db('role_grants as g')
    .join('users as u', 'u.id', 'g.user_id')
    .where({ 'g.role': 'department_admin', 'g.department_id': departmentId })
    .whereNull('g.revoked_at')
    .whereNull('u.closed_at')
    .orderBy('u.id')
    .select('u.id', 'u.email', 'u.preferred_language as language');
}

/** The platform's administrators, who confirm when a department has nobody else to. */
export function platformAdministrators(
  db: Conn,
): Promise<{ id: number; email: string; language: 'en' | 'fr' }[]> {
  return db('role_grants as g')
    .join('users as u', 'u.id', 'g.user_id')
    .where({ 'g.role': 'platform_admin' })
    .whereNull('g.revoked_at')
    .whereNull('u.closed_at')
    .orderBy('u.id')
    .select('u.id', 'u.email', 'u.preferred_language as language');
}

/** A proposed grant awaiting its second administrator, with the people it names. */
export interface PendingGrant {
  id: number;
  version: number;
  departmentId: number;
  departmentAcronym: { en: string; fr: string };
  userId: number;
  email: string;
  displayName: string;
  role: Role;
  limitCents: number | null;
  delegationReference: string | null;
  proposedBy: number;
  proposerEmail: string;
  proposerName: string;
  proposedAt: Date;
}

/** Open proposals in these departments, oldest first. */
export function pendingGrants(db: Conn, departmentIds: readonly number[]): Promise<PendingGrant[]> {
  return db('role_grant_proposals as p')
    .join('users as u', 'u.id', 'p.user_id')
    .join('users as by', 'by.id', 'p.proposed_by')
    .join('departments as d', 'd.id', 'p.department_id')
    .whereIn('p.department_id', departmentIds)
    .where('p.status', 'proposed')
    .orderBy([{ column: 'p.created_at' }, { column: 'p.id' }])
    .select(
      'p.id',
      'p.version',
      'p.department_id as departmentId',
      db.raw(`json_build_object('en', d.acronym_en, 'fr', d.acronym_fr) as "departmentAcronym"`),
      'p.user_id as userId',
      'u.email',
      'u.display_name as displayName',
      'p.role',
      'p.delegated_limit_cents as limitCents',
      'p.delegation_reference as delegationReference',
      'p.proposed_by as proposedBy',
      'by.email as proposerEmail',
      'by.display_name as proposerName',
      'p.created_at as proposedAt',
    );
}

export async function hasOpenProposal(
  db: Conn,
  userId: number,
  departmentId: number,
  role: Role,
): Promise<boolean> {
  const row = await db('role_grant_proposals')
    .where({ user_id: userId, department_id: departmentId, role, status: 'proposed' })
    .first('id');
  return row !== undefined;
}

/** Ends an active grant; false when it was already revoked (a second click, another admin). */
export async function revokeGrant(
  trx: Knex.Transaction,
  departmentId: number,
  grantId: number,
  by: number,
  at: Date,
): Promise<boolean> {
  const count = await trx('role_grants')
    .where({ id: grantId, department_id: departmentId })
    .whereNull('revoked_at')
    .update({ revoked_by: by, revoked_at: at });
  return count === 1;
}

export async function insertStaffUser(
  trx: Knex.Transaction,
  u: { email: string; displayName: string; language: 'en' | 'fr' },
  at: Date,
): Promise<number> {
  const [row] = await trx('users')
    .insert({
      email: u.email,
      kind: 'staff',
      display_name: u.displayName,
      preferred_language: u.language,
      created_at: at,
    })
    .returning('id');
  return row.id;
}

export interface AuditEvent {
  entityType: 'role_grant' | 'department';
  entityId: number;
  action:
    | 'grant_role'
    | 'revoke_role'
    | 'update_settings'
    | 'invite_staff'
    | 'create_department'
    | 'resend_invitation'
    | 'revoke_invitation';
  actorId: number;
  payload: Record<string, unknown>;
  at: Date;
}

export async function appendEvent(trx: Knex.Transaction, e: AuditEvent): Promise<void> {
  await recordEvent(trx, {
    entityType: e.entityType,
    entityId: e.entityId,
    opportunityId: null,
    // The department whose staff or settings changed, so its audit reads one column.
    departmentId:
      e.entityType === 'department' ? e.entityId : Number(e.payload.departmentId ?? 0) || null,
    action: e.action,
    actorId: e.actorId,
    payload: e.payload,
    at: e.at,
  });
}

/**
 * When `byId` brought this person into the department's roles (granted, confirmed or invited
 * them, revoked since or not): the earliest such grant, or undefined. The section 32 page flags
 * a requester the approving manager brought in (review H2: one person, two accounts).
 */
export async function firstGrantGivenBy(
  db: Conn,
  grant: { userId: number; departmentId: number; byId: number },
): Promise<Date | undefined> {
  const row: { granted_at: Date } | undefined = await db('role_grants')
    .where({ user_id: grant.userId, department_id: grant.departmentId })
    .andWhere((q) => q.where('granted_by', grant.byId).orWhere('confirmed_by', grant.byId))
    .orderBy('granted_at')
    .first('granted_at');
  return row?.granted_at;
}

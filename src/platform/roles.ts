/**
 * Roles are held per department (DOMAIN.md, "People and what they do"); platform_admin alone is
 * held without one. A person may hold several.
 */
export const departmentRoles = [
  'client',
  'program_officer',
  'section32_manager',
  'section34_manager',
  'finance_officer',
  'department_admin',
] as const;
type DepartmentRole = (typeof departmentRoles)[number];
export type Role = DepartmentRole | 'platform_admin';
export const roles: readonly Role[] = [...departmentRoles, 'platform_admin'];

/** One role a person holds, in a department (none for platform_admin), with its delegated limit. */
export interface Grant {
  role: Role;
  departmentId: number | null;
  limitCents: number | null;
}

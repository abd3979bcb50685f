import { hasRole, type CurrentUser } from '../platform/auth.ts';
import type { ContractRow } from './machine.ts';
import { contractStatuses } from './repo.ts';

/**
 * Who reads a contract's page: its supplier, the client who requested the work, and the program
 * officers of the department. Anyone else (another supplier, another client, another
 * department's staff) is answered as if it did not exist.
 */
export type ContractViewer = 'supplier' | 'client' | 'program_officer';

export function viewerOf(
  contract: Pick<ContractRow, 'status' | 'supplier_id' | 'department_id'>,
  opportunity: { requester_id: number | null },
  user: CurrentUser | undefined,
): ContractViewer | undefined {
  if (!user || !contractStatuses.includes(contract.status)) return undefined;
  if (user.kind === 'supplier') {
    return Number(contract.supplier_id) === user.id ? 'supplier' : undefined;
  }
  if (hasRole(user, ['program_officer'], contract.department_id)) return 'program_officer';
  if (
    opportunity.requester_id !== null &&
    Number(opportunity.requester_id) === user.id &&
    hasRole(user, ['client'], contract.department_id)
  ) {
    return 'client';
  }
  return undefined;
}

/** The department's side of the contract: who grants an extension or terminates. */
export const isDepartmentSide = (viewer: ContractViewer | undefined) =>
  viewer === 'client' || viewer === 'program_officer';

/** A step refused for a reason the person can act on: a locale key, on a field of the form. */
export class ContractRefused extends Error {
  constructor(
    readonly field: string,
    readonly key: string,
    readonly values: Record<string, string> = {},
  ) {
    super(key);
  }
}

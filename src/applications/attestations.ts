import type { AttestationText } from './repo.ts';
import type { Attestations } from './schemas.ts';

/**
 * What the supplier attested and declared, in the exact wording (and language) they were shown,
 * with their answer: for the confirmation page and the email's copy of what was submitted.
 */
export function attestedLines(wording: AttestationText, a: Attestations): string[] {
  const w = wording.texts;
  const answer = (value: boolean | undefined) => (value === undefined ? '—' : value ? w.yes : w.no);
  const lines: string[] = [];
  if (a.majority) lines.push(w.majority!);
  if (a.workStatus) lines.push(`${w.status} ${w[a.workStatus]}`);
  lines.push(`${w.publicServant} ${answer(a.publicServant)}`);
  if (a.publicServant && a.dgApproval) lines.push(w.dgApproval!);
  lines.push(`${w.formerPublicServant} ${answer(a.formerPublicServant)}`);
  lines.push(`${w.conflict} ${answer(a.conflict)}`);
  if (a.conflict && a.conflictDetails) lines.push(a.conflictDetails);
  return lines;
}

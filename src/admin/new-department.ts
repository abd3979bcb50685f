import type { CurrentUser } from '../platform/auth.ts';
import type { AppDeps } from '../platform/deps.ts';
import { acronymTaken, appendEvent, departmentSlug, insertDepartment } from './repo.ts';
import { refuse, type Outcome } from './rules.ts';
import type { SettingsForm } from './schemas.ts';

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown })?.code === '23505';
}

/**
 * A platform administrator creates a department with the settings its own page edits, and the
 * event records them all; returns its slug. The department has no administrator yet: the
 * platform administrator invites one from its staff page, a grant that a second platform
 * administrator confirms (the two-person rule of src/admin/grant-proposals.ts, nothing skipped).
 */
export async function createDepartment(
  deps: AppDeps,
  actor: CurrentUser,
  form: SettingsForm,
): Promise<Outcome<string>> {
  const taken = await acronymTaken(deps.db, 0, { en: form.acronymEn, fr: form.acronymFr });
  if (taken.en) return refuse('acronymEn', 'admin.errors.acronymTaken');
  if (taken.fr) return refuse('acronymFr', 'admin.errors.acronymTaken');
  const now = deps.clock.now();
  try {
    return await deps.db.transaction(async (trx) => {
      const id = await insertDepartment(trx, form, now);
      await appendEvent(trx, {
        entityType: 'department',
        entityId: id,
        action: 'create_department',
        actorId: actor.id,
        payload: { settings: form },
        at: now,
      });
      return { ok: true as const, value: departmentSlug({ acronym_en: form.acronymEn }) };
    });
  } catch (error) {
    // Another department took the acronym between the check and the insert.
    if (isUniqueViolation(error)) return refuse('acronymEn', 'admin.errors.acronymTaken');
    throw error;
  }
}

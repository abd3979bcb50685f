import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import type { StepStanding } from '../../src/lifecycle/overrides.ts';
import { createTranslator, languages } from '../../src/platform/i18n.ts';
import { createViews } from '../../src/platform/views.ts';
import { presentSection32Override } from '../../src/review/override-present.ts';

/** The section 32 page's part for a manager refused for a conflict, rendered on its own. */
async function rendered(standing: StepStanding) {
  const translator = await createTranslator();
  const views = createViews();
  return languages.map((lang) => {
    const t = translator.t(lang);
    const override = presentSection32Override(
      { standing, confirmer: undefined },
      'MA-2026-0001',
      lang,
      t,
    );
    const html = views.render('review/override-section.njk', {
      override,
      request: { version: 3 },
      t,
      values: {},
      errors: [],
      csrfToken: 'token',
    });
    return { t, page: parse(html) };
  });
}

describe('the section 32 page’s override part', () => {
  it('offers no override for a conflict nothing lifts, and says it cannot be overridden', async () => {
    const barred = await rendered({
      kind: 'barred',
      conflicts: [{ reason: 'benefits_from_transaction', earlierDuty: null }],
    });
    for (const { t, page } of barred) {
      expect(page.querySelector('form')).toBeNull();
      expect(page.text).toContain(t('segregation.benefits_from_transaction'));
      expect(page.text).toContain(t('segregation.override.conflict_not_overridable'));
    }
  });

  it('offers the reason form for a conflict an override lifts', async () => {
    const overridable = await rendered({
      kind: 'overridable',
      conflicts: [{ reason: 'same_person_requested', earlierDuty: 'request' }],
      override: undefined,
    });
    const [en, fr] = overridable;
    expect(en!.page.querySelector('form')?.getAttribute('action')).toBe(
      '/en/requests/MA-2026-0001/section-32/override',
    );
    expect(fr!.page.querySelector('form')?.getAttribute('action')).toBe(
      '/fr/demandes-d-occasion/MA-2026-0001/article-32/derogation',
    );
    for (const { t, page } of overridable) {
      expect(page.querySelector('textarea[name="overrideReason"]')).not.toBeNull();
      expect(page.text).not.toContain(t('segregation.override.conflict_not_overridable'));
    }
  });
});

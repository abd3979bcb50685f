import type { AppDeps } from '../platform/deps.ts';
import type { OpportunityRow } from '../opportunities/row.ts';
import { transitionMessages } from '../lifecycle/messages.ts';
import { HttpError } from '../platform/errors.ts';
import { keepValues, parseForm, positiveWholeNumber, type FieldError } from '../platform/forms.ts';
import type { Access, PageContext, RouteDef } from '../platform/router.ts';
import { findRequest } from '../requests/repo.ts';
import { previewTokenOf } from '../publishing/preview-link.ts';
import { pairsFromValues, valuesOf, type FieldPair } from './fields.ts';
import { incompleteErrors, presentEditor } from './present.ts';
import { translationForm, translationIntents } from './schemas.ts';
import { editorPairs, isTranslatable, submitTranslation } from './service.ts';

const programOfficer: Access = { roles: ['program_officer'], department: 'opportunity' };
const view = 'translation/editor.njk';

export function translationRoutes(deps: AppDeps): RouteDef[] {
  async function requestOf(ref: unknown): Promise<OpportunityRow> {
    // The access check found the department by this reference: it exists.
    const opportunity = await findRequest(deps.db, String(ref));
    if (!opportunity) throw new HttpError(404);
    return opportunity;
  }

  function render(
    page: PageContext,
    opportunity: OpportunityRow,
    pairs: readonly FieldPair[],
    extra: {
      values?: Record<string, string>;
      version?: number;
      errors?: FieldError[];
      done?: string;
      saved?: boolean;
    } = {},
    status = 200,
  ) {
    page.render(
      view,
      {
        request: presentEditor(
          opportunity,
          pairs,
          page.lang,
          page.t,
          deps.clock.now(),
          previewTokenOf(deps.config.SESSION_SECRET, opportunity),
        ),
        values: extra.values ?? valuesOf(pairs),
        version: extra.version ?? opportunity.version,
        errors: extra.errors,
        done: extra.done,
        saved: extra.saved,
      },
      status,
    );
  }

  return [
    {
      page: 'translation',
      method: 'get',
      access: programOfficer,
      async handle(req, _res, page) {
        const opportunity = await requestOf(req.params.ref);
        const done = translationIntents.find((intent) => intent === req.query.done);
        render(page, opportunity, await editorPairs(deps.db, opportunity), { done });
      },
    },
    {
      page: 'translation',
      method: 'post',
      limit: { name: 'translation', limit: 200, windowMs: 15 * 60 * 1000 },
      access: programOfficer,
      async handle(req, res, page) {
        const opportunity = await requestOf(req.params.ref);
        const pairs = await editorPairs(deps.db, opportunity);
        if (!isTranslatable(opportunity.status)) {
          const errors = transitionMessages(
            { kind: 'wrong_state', status: opportunity.status },
            page.t,
          ).map((message) => ({ field: 'translation-form', message }));
          return render(page, opportunity, pairs, { errors }, 409);
        }
        const typed = keepValues(req.body);
        const shownPairs = pairsFromValues(pairs, typed);
        const form = parseForm(translationForm(pairs), req, page, view, {
          request: presentEditor(
            opportunity,
            shownPairs,
            page.lang,
            page.t,
            deps.clock.now(),
            previewTokenOf(deps.config.SESSION_SECRET, opportunity),
          ),
          version: positiveWholeNumber(typed.version) ?? opportunity.version,
        });
        if (!form) return;
        const outcome = await submitTranslation(deps, page.user!, opportunity.reference, form);
        if (outcome.ok) {
          return res.redirect(
            303,
            `${page.url('translation', { ref: opportunity.reference })}?done=${outcome.intent}`,
          );
        }
        const errors =
          outcome.refusal.kind === 'incomplete'
            ? incompleteErrors(outcome.refusal.pairs, page.t)
            : transitionMessages(outcome.refusal.failure, page.t).map((message) => ({
                field: 'translation-form',
                message,
              }));
        // The page as it is now (a save may have changed the status line), with what was typed.
        const fresh = (await findRequest(deps.db, opportunity.reference)) ?? opportunity;
        render(
          page,
          fresh,
          form.pairs,
          {
            values: { ...typed, ...valuesOf(form.pairs) },
            version: outcome.version,
            errors,
            saved: outcome.saved,
          },
          outcome.refusal.kind === 'transition' && outcome.refusal.failure.kind === 'stale'
            ? 409
            : 400,
        );
      },
    },
  ];
}

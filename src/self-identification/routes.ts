import type { Request } from 'express';
import type { AppDeps } from '../platform/deps.ts';
import { referenceSchema } from '../opportunities/routes.ts';
import { HttpError } from '../platform/errors.ts';
import { fieldErrors, keepValues, type FieldError } from '../platform/forms.ts';
import type { PageContext, RouteDef } from '../platform/router.ts';
import {
  selfIdentificationAnswers,
  selfIdentificationForm,
  selfIdentificationQuestions,
  type SelfIdentificationAnswers,
} from './questions.ts';
import { answersOf, ownApplication, removeAnswers, saveAnswers } from './repo.ts';

const done = ['saved', 'removed'] as const;

/**
 * The supplier's optional self-identification for their application to an opportunity: their
 * own answers only, on a page of its own with its own privacy notice. Saving or removing writes
 * no event: no history holds an answer.
 */
export function selfIdentificationRoutes(deps: AppDeps): RouteDef[] {
  const view = 'self-identification/form.njk';

  async function applicationOf(req: Request, page: PageContext) {
    const reference = referenceSchema.safeParse(req.params.ref);
    const found = reference.success
      ? await ownApplication(deps.db, reference.data, page.user!.id)
      : undefined;
    if (!found) throw new HttpError(404);
    return found;
  }

  async function render(
    req: Request,
    page: PageContext,
    typed?: { values: Record<string, string>; errors: FieldError[] },
  ) {
    const application = await applicationOf(req, page);
    const saved = await answersOf(deps.db, application.id);
    const values =
      typed?.values ??
      Object.fromEntries(selfIdentificationQuestions.map((q) => [q, saved?.[q] ?? '']));
    page.render(
      view,
      {
        reference: application.reference,
        title: application[`title_${page.lang}`],
        questions: selfIdentificationQuestions,
        answers: selfIdentificationAnswers,
        hasAnswers: saved !== undefined,
        done: typed ? undefined : done.find((d) => d === req.query.done),
        values,
        errors: typed?.errors ?? [],
      },
      typed ? 400 : 200,
    );
  }

  return [
    {
      page: 'selfIdentification',
      method: 'get',
      access: 'supplier',
      handle: (req, _res, page) => render(req, page),
    },
    {
      page: 'selfIdentification',
      method: 'post',
      access: 'supplier',
      limit: { name: 'self-identification', limit: 30, windowMs: 15 * 60 * 1000 },
      async handle(req, res, page) {
        const application = await applicationOf(req, page);
        const form = selfIdentificationForm.safeParse(req.body ?? {});
        if (!form.success) {
          return render(req, page, {
            values: keepValues(req.body),
            errors: fieldErrors(form.error, page.t),
          });
        }
        const chosen = form.data;
        if (chosen.action === 'remove') {
          await removeAnswers(deps.db, application.id);
        } else {
          const answers = Object.fromEntries(
            selfIdentificationQuestions.map((q) => [q, chosen[q]]),
          ) as SelfIdentificationAnswers;
          await saveAnswers(deps.db, application.id, answers, deps.clock.now());
        }
        const href = page.url('selfIdentification', { ref: application.reference });
        res.redirect(303, `${href}?done=${chosen.action === 'remove' ? 'removed' : 'saved'}`);
      },
    },
  ];
}

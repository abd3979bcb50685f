import type { Request } from 'express';
import type { AppDeps } from '../platform/deps.ts';
import { referenceSchema } from '../opportunities/routes.ts';
import { HttpError } from '../platform/errors.ts';
import { fieldErrors, keepValues, type FieldError } from '../platform/forms.ts';
import type { PageContext, RouteDef } from '../platform/router.ts';
import { feedbackOf, ownApplication, saveFeedback } from './repo.ts';
import { feedbackForm } from './schemas.ts';
import { isFeedbackStep, type FeedbackStep } from './steps.ts';

/**
 * The short optional feedback form of a supplier's own application, at each step it reached:
 * the confirmation page and the outcome pages include views/feedback/_form.njk, and this page
 * shows it alone (and again, with what was typed, when it is refused).
 */
export function feedbackRoutes(deps: AppDeps): RouteDef[] {
  const view = 'feedback/page.njk';

  async function applicationOf(req: Request, page: PageContext) {
    const reference = referenceSchema.safeParse(req.params.ref);
    const found = reference.success
      ? await ownApplication(deps.db, reference.data, page.user!.id, page.lang)
      : undefined;
    if (!found || found.steps.length === 0) throw new HttpError(404);
    return found;
  }

  async function render(
    req: Request,
    page: PageContext,
    step: FeedbackStep,
    typed?: { values: Record<string, string>; errors: FieldError[]; status: number },
  ) {
    const application = await applicationOf(req, page);
    const saved = typed ? undefined : await feedbackOf(deps.db, application.id, step);
    const values = typed?.values ?? {
      ease: saved?.ease ? String(saved.ease) : '',
      clarity: saved?.clarity ? String(saved.clarity) : '',
      would_help: saved?.would_help ?? '',
    };
    page.render(
      view,
      {
        reference: application.reference,
        title: application.title,
        sent: !typed && req.query.done === 'sent',
        feedbackForm: {
          ref: application.reference,
          step,
          values,
          errors: typed?.errors ?? [],
          answered: saved !== undefined,
        },
        errors: typed?.errors ?? [],
      },
      typed?.status ?? 200,
    );
  }

  return [
    {
      page: 'feedback',
      method: 'get',
      access: 'supplier',
      async handle(req, _res, page) {
        const { steps } = await applicationOf(req, page);
        const asked = req.query.step;
        // The latest step reached, unless the address names another one reached.
        const step = isFeedbackStep(asked) && steps.includes(asked) ? asked : steps.at(-1)!;
        await render(req, page, step);
      },
    },
    {
      page: 'feedback',
      method: 'post',
      access: 'supplier',
      limit: { name: 'feedback', limit: 20, windowMs: 15 * 60 * 1000 },
      async handle(req, res, page) {
        const application = await applicationOf(req, page);
        const values = keepValues(req.body);
        const typedStep = isFeedbackStep(values.step) ? values.step : application.steps.at(-1)!;
        const form = feedbackForm.safeParse(req.body ?? {});
        if (!form.success) {
          const errors = fieldErrors(form.error, page.t);
          return render(req, page, typedStep, { values, errors, status: 400 });
        }
        if (!application.steps.includes(form.data.step)) {
          const errors = [{ field: 'ease', message: page.t('feedback.errors.stepNotReached') }];
          return render(req, page, application.steps.at(-1)!, { values, errors, status: 409 });
        }
        await saveFeedback(deps.db, application.id, form.data, page.lang, deps.clock.now());
        const href = page.url('feedback', { ref: application.reference });
        res.redirect(303, `${href}?step=${form.data.step}&done=sent`);
      },
    },
  ];
}

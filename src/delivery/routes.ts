import type { Request } from 'express';
import { viewerOf, type ContractViewer } from '../contracts/access.ts';
import { contractMachine } from '../contracts/machine.ts';
import { availableActions } from '../lifecycle/access.ts';
import { transitionMessages } from '../lifecycle/messages.ts';
import { inOneTransaction, type TransitionFailure } from '../lifecycle/transition.ts';
import type { AppDeps } from '../platform/deps.ts';
import { HttpError } from '../platform/errors.ts';
import {
  fieldErrors,
  keepValues,
  positiveWholeNumber,
  type FieldError,
} from '../platform/forms.ts';
import type { Translate } from '../platform/i18n.ts';
import type { PageContext, RouteDef } from '../platform/router.ts';
import { readCheck, type CheckResult, type ForgeApis } from './ci-checks.ts';
import { linkKinds, linkProblem, pullRequestOf } from './links.ts';
import { presentFile, reviewCriteria } from './present.ts';
import {
  contractWithOpportunity,
  onRepositoryOf,
  roundsOf,
  workCriteriaOf,
  type Round,
  type WorkCriterion,
} from './repo.ts';
import {
  deliveryForm,
  linkFields,
  linksOf,
  MAX_COMMENT,
  parseJudgements,
  reviewForm,
  type DeliveryForm,
} from './schemas.ts';
import { deliverWork, reviewWork } from './service.ts';

const deliveryView = 'delivery/delivery.njk';
const reviewView = 'delivery/review.njk';
const FORM_ERROR = 'delivery-error';

/** A refused step, in the page's language: what is out of order says what must come first. */
function refusalMessages(failure: TransitionFailure, step: 'deliver' | 'review', t: Translate) {
  if (failure.kind === 'wrong_state') {
    if (step === 'deliver') return [t('delivery.refusals.notInProgress')];
    return [
      t(
        ['in_progress', 'offered'].includes(failure.status)
          ? 'delivery.refusals.notDelivered'
          : 'delivery.refusals.closed',
      ),
    ];
  }
  if (failure.kind === 'forbidden') return [t('delivery.refusals.notYourContract')];
  if (failure.kind === 'guard' && failure.failure.code.startsWith('delivery_')) {
    return [t(`delivery.refusals.${failure.failure.code}`)];
  }
  return transitionMessages(failure, t);
}

const asFormErrors = (messages: string[]): FieldError[] =>
  messages.map((message) => ({ field: FORM_ERROR, message }));

export function deliveryRoutes(deps: AppDeps): RouteDef[] {
  const apis: ForgeApis = {
    githubApiUrl: deps.config.GITHUB_API_URL,
    gitlabApiUrl: deps.config.GITLAB_API_URL,
    timeoutMs: deps.config.CI_CHECK_TIMEOUT_MS,
    githubToken: deps.config.CI_CHECK_GITHUB_TOKEN,
    gitlabToken: deps.config.CI_CHECK_GITLAB_TOKEN,
  };

  async function fileOf(req: Request) {
    const id = positiveWholeNumber(req.params.id);
    return id ? contractWithOpportunity(deps.db, id) : undefined;
  }

  /**
   * Who reads a contract is the contract page's rule (src/contracts/access.ts): the delivery page
   * is its supplier's; the review page the requester's and the program officers'. Anyone else
   * gets the same 404 as for no contract.
   */
  async function fileFor(req: Request, page: PageContext, viewers: readonly ContractViewer[]) {
    const file = await fileOf(req);
    const viewer = file && viewerOf(file.contract, file.opportunity, page.user);
    if (!file || !viewer || !viewers.includes(viewer)) throw new HttpError(404);
    return file;
  }
  const supplierFile = (req: Request, page: PageContext) => fileFor(req, page, ['supplier']);
  const clientFile = (req: Request, page: PageContext) =>
    fileFor(req, page, ['client', 'program_officer']);

  type File = NonNullable<Awaited<ReturnType<typeof fileOf>>>;

  async function deliveryData(file: File, page: PageContext) {
    const [rounds, criteria] = await Promise.all([
      roundsOf(deps.db, file.contract.id),
      workCriteriaOf(deps.db, file.opportunity.id),
    ]);
    return {
      ...presentFile(file, rounds, criteria, page.lang, deps.clock.now()),
      canDeliver: availableActions(contractMachine, file.contract, page.user ?? null).includes(
        'deliver',
      ),
      invoiceHref: page.url('invoice', { id: file.contract.id }),
      values: { version: String(file.contract.version) },
    };
  }

  /** Each named check's result on each pull request of the round under review, read at once. */
  async function checksOf(round: Round | undefined, criteria: readonly WorkCriterion[]) {
    const checks = new Map<number, { pullRequest: string; result: CheckResult }[]>();
    const pulls = (round?.links ?? []).filter((l) => l.kind === 'pull_request');
    await Promise.all(
      criteria
        .filter((c) => c.ci_check)
        .map(async (c) => {
          const results = await Promise.all(
            pulls.map(async (l) => {
              const pull = pullRequestOf(l.url);
              const result: CheckResult = pull
                ? await readCheck(pull, c.ci_check!, apis)
                : { state: 'unreadable' };
              return { pullRequest: l.url, result };
            }),
          );
          checks.set(c.id, results);
        }),
    );
    return checks;
  }

  async function reviewData(file: File, page: PageContext) {
    const [rounds, criteria] = await Promise.all([
      roundsOf(deps.db, file.contract.id),
      workCriteriaOf(deps.db, file.opportunity.id),
    ]);
    const latest = rounds.at(-1);
    const underReview = file.contract.status === 'delivered' && latest && !latest.review;
    const checks = underReview
      ? await checksOf(latest, criteria)
      : new Map<number, { pullRequest: string; result: CheckResult }[]>();
    return {
      data: {
        ...presentFile(file, rounds, criteria, page.lang, deps.clock.now()),
        underReview,
        canReview: underReview && file.opportunity.requester_id === page.user?.id,
        reviewCriteria: reviewCriteria(criteria, checks, page.lang),
        values: { version: String(file.contract.version) },
      },
      criteria,
      checks,
    };
  }

  /** Each delivered link's problem, on the field it was typed in. */
  async function linkErrors(file: File, form: DeliveryForm, page: PageContext) {
    const errors: FieldError[] = [];
    for (const kind of linkKinds) {
      const field = linkFields[kind];
      for (const address of form[field as 'pullRequests']) {
        let problem: string | undefined = linkProblem(
          kind,
          address,
          file.opportunity.repository_url,
        );
        if (!problem && kind === 'pull_request') {
          if (!(await onRepositoryOf(deps.db, file.opportunity.id, address)))
            problem = 'otherRepository';
        }
        if (problem) {
          errors.push({ field, message: page.t(`delivery.errors.${problem}`, { link: address }) });
          break;
        }
      }
    }
    if (errors.length === 0 && linksOf(form).length === 0) {
      errors.push({ field: linkFields.pull_request, message: page.t('delivery.errors.noLink') });
    }
    return errors;
  }

  const limit = { limit: 30, windowMs: 15 * 60 * 1000 };
  return [
    {
      page: 'contractDelivery',
      method: 'get',
      access: 'supplier',
      async handle(req, _res, page) {
        page.render(deliveryView, await deliveryData(await supplierFile(req, page), page));
      },
    },
    {
      page: 'contractDelivery',
      method: 'post',
      limit: { name: 'deliverWork', ...limit },
      access: 'supplier',
      async handle(req, res, page) {
        const file = await supplierFile(req, page);
        const values = keepValues(req.body);
        const parsed = deliveryForm.safeParse(req.body ?? {});
        const errors = parsed.success
          ? await linkErrors(file, parsed.data, page)
          : fieldErrors(parsed.error, page.t);
        if (!parsed.success || errors.length > 0) {
          return page.render(
            deliveryView,
            { ...(await deliveryData(file, page)), values, errors },
            400,
          );
        }
        const form = parsed.data;
        const outcome = await inOneTransaction(deps.db, (trx) =>
          deliverWork(trx, page.user!, {
            contractId: file.contract.id,
            version: form.version,
            links: linksOf(form),
            notes: form.notes,
            notesLang: page.lang,
            now: deps.clock.now(),
          }),
        );
        if (!outcome.ok) {
          const fresh = await deliveryData(await supplierFile(req, page), page);
          const refused = asFormErrors(refusalMessages(outcome.failure, 'deliver', page.t));
          return page.render(deliveryView, { ...fresh, values, errors: refused }, 409);
        }
        res.redirect(303, page.url('contractDelivery', { id: file.contract.id }));
      },
    },
    {
      page: 'contractReview',
      method: 'get',
      access: { roles: ['client', 'program_officer'] },
      async handle(req, _res, page) {
        page.render(reviewView, (await reviewData(await clientFile(req, page), page)).data);
      },
    },
    {
      page: 'contractReview',
      method: 'post',
      limit: { name: 'reviewWork', ...limit },
      access: { roles: ['client', 'program_officer'] },
      async handle(req, res, page) {
        const file = await clientFile(req, page);
        const body = (req.body ?? {}) as Record<string, unknown>;
        const values = keepValues(body);
        const parsed = reviewForm.safeParse(body);
        const { data, criteria, checks } = await reviewData(file, page);
        const { judgements, problems } = parseJudgements(
          body,
          criteria.map((c) => c.id),
        );
        const errors = [
          ...problems.map((p) => ({
            field: p.field,
            message: page.t(p.key, { max: MAX_COMMENT }),
          })),
          ...(parsed.success ? [] : fieldErrors(parsed.error, page.t)),
        ];
        if (!parsed.success || errors.length > 0) {
          return page.render(reviewView, { ...data, values, errors }, 400);
        }
        const form = parsed.data;
        const outcome = await inOneTransaction(deps.db, (trx) =>
          reviewWork(trx, page.user!, {
            contractId: file.contract.id,
            version: form.version,
            decision: form.decision,
            judgements: judgements.map((j) => ({
              ...j,
              evidence: checks
                .get(j.criterionId)
                ?.map((c) => ({ pullRequest: c.pullRequest, ...c.result })),
            })),
            reason: form.reason,
            reasonLang: page.lang,
            now: deps.clock.now(),
          }),
        );
        if (!outcome.ok) {
          const fresh = (await reviewData(await clientFile(req, page), page)).data;
          const refused = asFormErrors(refusalMessages(outcome.failure, 'review', page.t));
          return page.render(reviewView, { ...fresh, values, errors: refused }, 409);
        }
        res.redirect(303, page.url('contractReview', { id: file.contract.id }));
      },
    },
  ];
}

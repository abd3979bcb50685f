import {
  mandatoryCriteriaOf,
  findApplicationIdOf,
  findOwnApplication,
} from '../applications/repo.ts';
import { actOnApplication, startApplication } from '../applications/service.ts';
import { anonymousApplicants } from '../evaluation/repo.ts';
import {
  declareNoConflict,
  lockEvaluation,
  saveApplicantDecisions,
  type CriterionDecision,
} from '../evaluation/service.ts';
import { terminateForNonDelivery } from '../contracts/non-delivery.ts';
import { acceptOffer } from '../offers/answers.ts';
import type { OpportunityRow } from '../opportunities/row.ts';
import type { CurrentUser } from '../platform/auth.ts';
import { inOneTransaction } from '../lifecycle/transition.ts';
import { currentTerms } from '../terms/repo.ts';
import type { DemoApplication } from './content/types.ts';
import type { Replay } from './replay.ts';
import type { DemoAction, DemoPlan } from './timeline.ts';

/**
 * The suppliers' and evaluators' steps of the demo, through the same services their pages call:
 * the supplier's Apply, Save and Submit; the requester's declaration, decisions and lock (which
 * draws and sends the outcomes, offering the contract to the first drawn); the offered
 * supplier's acceptance of the terms.
 */

type Step = { ok: boolean } & Record<string, unknown>;

/** What the evaluator writes for a pass or a fail, in their language (30 characters or more). */
const reasons = {
  pass: {
    en: 'The answer shows this criterion is met, with a link to comparable work we could check.',
    fr: 'La réponse montre que ce critère est respecté, avec un lien vers un travail comparable que nous avons pu vérifier.',
  },
  fail: {
    en: 'The answer does not show the experience this criterion asks for; the link shows unrelated work.',
    fr: 'La réponse ne démontre pas l’expérience exigée par ce critère; le lien mène à un travail sans rapport.',
  },
} as const;

function supplierOf(r: Replay, application: DemoApplication): CurrentUser {
  const supplier = r.people.get(application.supplier);
  if (!supplier || supplier.kind !== 'supplier') {
    throw new Error(`${application.supplier} is not a demo supplier`);
  }
  return supplier;
}

function applicationAt(plan: DemoPlan, index: number): DemoApplication {
  const application = plan.spec.applications?.[index];
  if (!application)
    throw new Error(`Demo opportunity "${plan.spec.en.title}": no application ${index}`);
  return application;
}

/** The application form as the supplier fills it in: every answer, the attestations, a link. */
async function applicationForm(r: Replay, row: OpportunityRow, application: DemoApplication) {
  const criteria = await mandatoryCriteriaOf(r.deps.db, row.id);
  const body: Record<string, string> = {
    majority: 'yes',
    workStatus: 'citizen',
    publicServant: 'no',
    formerPublicServant: 'no',
    conflict: 'no',
  };
  criteria.forEach((criterion, i) => {
    body[`answer_${criterion.id}`] = application.answers[i] ?? application.answers[0] ?? '';
    body[`links_${criterion.id}`] = application.link;
  });
  return body;
}

async function applicationStep(
  r: Replay,
  plan: DemoPlan,
  row: OpportunityRow,
  action: { kind: 'apply' | 'submit_application'; application: number },
): Promise<Step> {
  const { deps } = r;
  const application = applicationAt(plan, action.application);
  const supplier = supplierOf(r, application);
  if (action.kind === 'apply') {
    const started = await startApplication(deps, supplier, row.reference, supplier.language);
    if (!started.ok) return started;
  }
  const id = await findApplicationIdOf(deps.db, row.id, supplier.id);
  const record = id === undefined ? undefined : await findOwnApplication(deps.db, id, supplier.id);
  if (!record) return { ok: false, missing: 'application' };
  return actOnApplication(deps, supplier, record, {
    action: action.kind === 'apply' ? 'save' : 'submit',
    version: record.version,
    body: await applicationForm(r, row, application),
    lang: supplier.language,
    t: deps.translator.t(supplier.language),
  });
}

/** One applicant judged on every criterion: all pass, or the first fails. */
async function evaluate(
  r: Replay,
  plan: DemoPlan,
  row: OpportunityRow,
  evaluator: CurrentUser,
  index: number,
): Promise<Step> {
  const { deps } = r;
  const application = applicationAt(plan, index);
  const supplier = supplierOf(r, application);
  const applicationId = await findApplicationIdOf(deps.db, row.id, supplier.id);
  const letters = await deps.db.transaction((trx) => anonymousApplicants(trx, row.id));
  const position = letters.find((l) => l.applicationId === applicationId)?.position;
  if (position === undefined) return { ok: false, missing: 'anonymous applicant' };
  const criteria = await mandatoryCriteriaOf(deps.db, row.id);
  const decisions: CriterionDecision[] = criteria.map((criterion, i) => {
    const decision = application.passes === true || i > 0 ? 'pass' : 'fail';
    return { criterionId: criterion.id, decision, reason: reasons[decision][evaluator.language] };
  });
  return saveApplicantDecisions(deps, evaluator, row.reference, position, decisions);
}

/** The offered supplier reads the current terms and accepts them, in their language. */
async function acceptTheOffer(r: Replay, row: OpportunityRow): Promise<Step> {
  const { deps } = r;
  const contract = await deps
    .db('contracts')
    .where({ opportunity_id: row.id, status: 'offered' })
    .first('id', 'version', 'supplier_id');
  const supplier = [...r.people.values()].find((p) => p.id === contract?.supplier_id);
  if (!contract || !supplier) return { ok: false, missing: 'offer' };
  const terms = await currentTerms(deps.db);
  return inOneTransaction(deps.db, (trx) =>
    acceptOffer(trx, supplier, {
      contractId: Number(contract.id),
      version: Number(contract.version),
      termsVersionId: terms.id,
      language: supplier.language,
      now: deps.clock.now(),
    }),
  );
}

/** The requester terminates the contract under way for non-delivery, and ends the opportunity. */
async function terminateTheContract(
  r: Replay,
  plan: DemoPlan,
  row: OpportunityRow,
  requester: CurrentUser,
): Promise<Step> {
  const { deps } = r;
  const termination = plan.spec.termination;
  const contract = await deps
    .db('contracts')
    .where({ opportunity_id: row.id, status: 'in_progress' })
    .first('id', 'version');
  if (!contract || !termination) return { ok: false, missing: 'contract under way' };
  return inOneTransaction(deps.db, (trx) =>
    terminateForNonDelivery(trx, requester, {
      contractId: Number(contract.id),
      version: Number(contract.version),
      reason: termination.reason,
      then: 'end',
      lang: termination.lang,
      now: deps.clock.now(),
    }),
  );
}

/** The steps of applying and evaluating; undefined for the other kinds of step. */
export async function applicantStep(
  r: Replay,
  plan: DemoPlan,
  row: OpportunityRow,
  requester: CurrentUser,
  action: DemoAction,
): Promise<Step | undefined> {
  const { deps } = r;
  switch (action.kind) {
    case 'apply':
    case 'submit_application':
      return applicationStep(r, plan, row, action);
    case 'declare':
      return declareNoConflict(deps, requester, row.reference, {
        wording: deps.translator.t(requester.language)('evaluation.declaration.text'),
        language: requester.language,
      });
    case 'evaluate':
      return evaluate(r, plan, row, requester, action.application);
    case 'lock':
      return lockEvaluation(deps, requester, row.reference, row.version);
    case 'accept_offer':
      return acceptTheOffer(r, row);
    case 'terminate':
      return terminateTheContract(r, plan, row, requester);
    default:
      return undefined;
  }
}

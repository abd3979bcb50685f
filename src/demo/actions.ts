import { publishAddendum } from '../addenda/service.ts';
import { closeDueOpportunities } from '../opportunities/closing.ts';
import type { OpportunityRow } from '../opportunities/row.ts';
import type { Role } from '../platform/roles.ts';
import { approvePreview, publishOpportunity } from '../publishing/service.ts';
import { saveStep, startRequest, submitRequest } from '../requests/form-service.ts';
import { findRequest } from '../requests/repo.ts';
import { attestationText } from '../review/present.ts';
import { approveFunds, cancelRequest, releaseFunds, screenRequest } from '../review/service.ts';
import { editorPairs, submitTranslation } from '../translation/service.ts';
import { applicantStep } from './applicants.ts';
import { contractStep } from './contract-steps.ts';
import { extensionForm, requestStep, translatedPairs } from './forms.ts';
import { holderOf } from './people.ts';
import type { Replay } from './replay.ts';
import type { DemoAction, DemoPlan } from './timeline.ts';

/** What the replay needs: the services' deps (its clock set to each step's time) and the people. */

/** A refused step is a mistake in the demo content or a broken rule: start-up says which. */
function done(outcome: { ok: boolean }, plan: DemoPlan, action: DemoAction): void {
  if (!outcome.ok) {
    throw new Error(
      `Demo opportunity "${plan.spec.en.title}": ${action.kind} refused: ${JSON.stringify(outcome)}`,
    );
  }
}

/**
 * Takes one step of a demo opportunity's history through the same service the page calls, as
 * the demo person whose job it is (the requester never approves its funds: another person holds
 * section 32). The closing is the closing job's, run at the deadline.
 */
export async function perform(r: Replay, plan: DemoPlan, action: DemoAction): Promise<void> {
  const { deps } = r;
  const { spec } = plan;
  const departmentId = r.departments[spec.department];
  const as = (role: Role) => holderOf(r.people, role, departmentId);
  if (action.kind === 'start') {
    const reference = await startRequest(deps, as('client'), {
      department: departmentId,
      sourceLanguage: spec.sourceLanguage,
    });
    if (!reference) throw new Error(`Demo opportunity "${spec.en.title}": not started`);
    r.references.set(plan, reference);
    return;
  }
  const reference = r.references.get(plan);
  const row: OpportunityRow | undefined = reference
    ? await findRequest(deps.db, reference)
    : undefined;
  if (!reference || !row) throw new Error(`Demo opportunity "${spec.en.title}": not started`);
  const { version } = row;
  const applicantOutcome = await applicantStep(r, plan, row, as('client'), action);
  if (applicantOutcome) return done(applicantOutcome, plan, action);
  const contractOutcome = await contractStep(r, plan, row, action);
  if (contractOutcome) return done(contractOutcome, plan, action);
  switch (action.kind) {
    case 'save':
      return done(
        await saveStep(deps, as('client'), row.id, requestStep(plan, action.formStep)),
        plan,
        action,
      );
    case 'submit':
      return done(
        await submitRequest(deps, as('client'), row.id, { justification: '', version }),
        plan,
        action,
      );
    case 'screen':
      return done(
        await screenRequest(deps, as('program_officer'), reference, {
          decision: 'accept',
          comments: '',
          version,
        }),
        plan,
        action,
      );
    case 'approve_funds': {
      const manager = as('section32_manager');
      const t = deps.translator.t(manager.language);
      const form = {
        reservationNumber: `FR-${reference.slice(3)}`,
        attest: 'yes',
        version,
      } as const;
      return done(
        await approveFunds(deps, manager, reference, form, (amount) => ({
          text: attestationText(amount, manager.language, t),
          lang: manager.language,
        })),
        plan,
        action,
      );
    }
    case 'request_translation':
    case 'complete_translation': {
      const pairs = await editorPairs(deps.db, row);
      const intent = action.kind === 'request_translation' ? 'request' : 'complete';
      return done(
        await submitTranslation(deps, as('program_officer'), reference, {
          intent,
          version,
          pairs: intent === 'complete' ? translatedPairs(spec, pairs) : pairs,
        }),
        plan,
        action,
      );
    }
    case 'approve_preview':
      return done(await approvePreview(deps, as('client'), reference, version), plan, action);
    case 'publish': {
      if (!plan.window) throw new Error(`Demo opportunity "${spec.en.title}": no window`);
      const { opensAt, publishedClosesAt } = plan.window;
      return done(
        await publishOpportunity(deps, as('program_officer'), reference, version, {
          opensAt,
          closesAt: publishedClosesAt,
        }),
        plan,
        action,
      );
    }
    case 'addendum':
      return done(
        await publishAddendum(deps, as('program_officer'), row.id, extensionForm(plan, row)),
        plan,
        action,
      );
    case 'cancel':
      return done(
        await cancelRequest(
          deps,
          as('program_officer'),
          reference,
          {
            reason: spec.cancellation?.reason ?? '',
            confirm: 'yes',
            version,
          },
          spec.cancellation?.lang,
        ),
        plan,
        action,
      );
    case 'release_funds':
      return done(await releaseFunds(deps, as('finance_officer'), reference), plan, action);
    case 'close': {
      await closeDueOpportunities(deps.db, deps.clock, deps.logger);
      const after = await findRequest(deps.db, reference);
      return done({ ok: after?.status === 'closed' }, plan, action);
    }
  }
}

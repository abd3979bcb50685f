import type { Knex } from 'knex';
import { both, linkTo, requesterOf, sendAbout, supplierOf } from './emails.ts';
import { offerNext, type OfferStep } from './offer-next.ts';
import { decisionsOf, drawOrder } from './results.ts';

/**
 * Tells every applicant the outcome once the evaluation is locked, each in their own language
 * first: the first in the draw order is offered the contract (the "selected" email, through
 * offerNext); the others who passed learn their rank; those who did not meet the criteria get
 * each criterion's decision and its reason. With nobody qualified, the requester is asked to
 * re-post or cancel. Called by the draw (after `draw`) and by the evaluation (after
 * `find_no_qualified_applicant`), in their transaction; calling it again sends nothing twice.
 */
export async function sendOutcomes(
  trx: Knex.Transaction,
  opportunityId: number,
  now: Date,
): Promise<OfferStep | undefined> {
  const opportunity = await trx('opportunities').where({ id: opportunityId }).first();
  if (!opportunity) return undefined;
  let offer: OfferStep | undefined;
  if (opportunity.status === 'drawn') {
    offer = await offerNext(trx, opportunityId, now);
    const order = await drawOrder(trx, opportunityId);
    const first = order[0]?.applicationId;
    for (const ranked of order) {
      if (ranked.applicationId === first) continue;
      const to = await supplierOf(trx, ranked.supplierId);
      if (!to) continue;
      await sendAbout(trx, now, {
        template: 'outcome-not-drawn',
        opportunity,
        to,
        key: ranked.applicationId,
        data: {
          position: ranked.position,
          passed: order.length,
          link: linkTo('drawResults', { ref: opportunity.reference }),
          feedback: linkTo('feedback', { ref: opportunity.reference }),
        },
      });
    }
  } else if (opportunity.status === 'no_qualified_applicant') {
    for (const to of await requesterOf(trx, opportunity)) {
      await sendAbout(trx, now, {
        template: 'outcome-no-qualified',
        opportunity,
        to,
        key: 'requester',
        data: { link: linkTo('request', { ref: opportunity.reference }) },
      });
    }
  } else {
    return undefined;
  }
  const failed: { id: string; supplier_id: string }[] = await trx('applications')
    .where({ opportunity_id: opportunityId, status: 'failed' })
    .orderBy('id')
    .select('id', 'supplier_id');
  for (const application of failed) {
    const to = await supplierOf(trx, Number(application.supplier_id));
    if (!to) continue;
    const decisions = await decisionsOf(trx, Number(application.id));
    await sendAbout(trx, now, {
      template: 'outcome-not-qualified',
      opportunity,
      to,
      key: application.id,
      data: {
        link: linkTo('opportunity', { ref: opportunity.reference }),
        feedback: linkTo('feedback', { ref: opportunity.reference }),
        decisions: both((lang) =>
          decisions.map((d) => ({
            position: d.position,
            criterion: d[`text_${lang}`],
            passed: d.passed,
            reasons: d.reasons,
          })),
        ),
      },
    });
  }
  return offer;
}

import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import {
  CAP_CENTS,
  formatMoney,
  highestPreTaxPriceCents,
  maxTotalCents,
} from '../../src/platform/money.ts';
import { errorsOf, fieldValue } from '../helpers/pages.ts';
import { walks, type Walk } from '../helpers/publication-walks.ts';
import {
  expectStatusesFromEvents,
  publicationWorld,
  walkOf,
} from '../helpers/publication-world.ts';

/** Days 0 and 1 of the walks: the client writes the request step by step and submits it. */
const w = publicationWorld();
const { opportunity, snapshot, newEmails, queue, emailOf, idOf } = w;
const as = (walk: Walk, name: string) => w.as(walk, name);
const html = (text: string) => parse(text);
const inputValue = (text: string, name: string) => fieldValue(text, name) ?? '';

describe.each(walks)('a request of $acronym.en is written and submitted', (walk) => {
  const {
    lang,
    say,
    other,
    path,
    onDay,
    finalPriceCents,
    finalTotal,
    expectStatus,
    expectHiddenFromOtherDepartment,
    writeRequest,
    saveStep,
    submit,
  } = walkOf(w, walk);
  const request = { id: 0, ref: '' };
  const own = { id: 0, ref: '' };

  it('day 0: the client writes the request; one cent over the cap is refused, the cap itself accepted', async () => {
    onDay(0);
    expect(highestPreTaxPriceCents()).toBe(869_565);
    const client = await as(walk, 'client');
    const started = await client.post(path('newRequest'), {
      department: String(walk.departmentId),
      sourceLanguage: lang,
    });
    expect(started.status).toBe(303);
    request.ref = /(MA-\d{4}-\d{4})/.exec(started.headers.location ?? '')![1]!;
    const ref = request.ref;
    const draft = await w.database.db('opportunities').where({ reference: ref }).first();
    request.id = draft.id;
    w.created.push(draft.id);
    expect(draft).toMatchObject({
      status: 'draft',
      department_id: walk.departmentId,
      requester_id: idOf(walk, 'client'),
      source_language: lang,
    });
    for (const step of [1, 2, 3] as const) {
      expect((await saveStep(client, ref, step, walk.request[step])).status, `step ${step}`).toBe(
        303,
      );
    }
    await expectStatus(client, ref, 'draft');

    // Step 4: the tax-inclusive total one cent over $10,000 is refused, with the message.
    const before = await snapshot(request.id);
    const over = await saveStep(client, ref, 4, {
      ...walk.request[4],
      price: walk.typedPrices.overCap,
    });
    expect(over.status).toBe(400);
    expect(errorsOf(over.text)).toEqual([say.overCap]);
    expect(inputValue(over.text, 'price')).toBe(walk.typedPrices.overCap);
    expect(maxTotalCents(highestPreTaxPriceCents() + 1)).toBe(CAP_CENTS + 1);
    expect(await snapshot(request.id)).toEqual(before);
    expect(before.row.price_cents).toBeNull();

    const cap = await saveStep(client, ref, 4, { ...walk.request[4], price: walk.typedPrices.cap });
    expect(cap.status).toBe(303);
    expect(cap.headers.location).toBe(path('requestStep', { ref, step: 5 }));
    expect(await opportunity(request.id)).toMatchObject({
      price_cents: highestPreTaxPriceCents(),
      max_total_cents: CAP_CENTS,
    });
    const finances = await saveStep(client, ref, 5, walk.request[5]);
    expect(finances.headers.location).toBe(path('requestReview', { ref }));

    if (walk.changedPrice) {
      // The client thinks again and lowers the price from the review page's link to step 4.
      const review = await client.client.get(path('requestReview', { ref })).expect(200);
      expect(
        html(review.text).querySelector(`a[href="${path('requestStep', { ref, step: 4 })}"]`),
      ).not.toBeNull();
      const lowered = await saveStep(client, ref, 4, {
        ...walk.request[4],
        price: walk.changedPrice.typed,
      });
      expect(lowered.status).toBe(303);
    }
    const review = await client.client.get(path('requestReview', { ref })).expect(200);
    expect(review.text).toContain(formatMoney(finalTotal, lang));
    expect(await opportunity(request.id)).toMatchObject({
      price_cents: finalPriceCents,
      max_total_cents: finalTotal,
      completed_steps: ['1', '2', '3', '4', '5'],
    });

    // A colleague may not change it; the other department does not see it at all.
    const colleague = await as(walk, 'client2');
    expect((await colleague.client.get(path('requestStep', { ref, step: 1 }))).status).toBe(403);
    await expectHiddenFromOtherDepartment(ref, request.id);

    // The person who is both client and section 32 manager writes a request of their own.
    const ownRequest = await writeRequest(await as(walk, 'manager-client'), walk.ownRequest);
    Object.assign(own, ownRequest);
    expect((await newEmails()).sent).toEqual([]);
  });

  it('day 1: both are submitted; the program officers of the department are told', async () => {
    onDay(1);
    const client = await as(walk, 'client');
    const submitted = await submit(client, request.ref);
    expect(submitted.status).toBe(303);
    expect(submitted.headers.location).toBe(`${path('requests')}?notice=submitted`);
    const list = await client.client.get(submitted.headers.location!).expect(200);
    const line = html(list.text)
      .querySelectorAll('tbody tr')
      .find((tr) => tr.textContent.includes(request.ref));
    expect(line?.querySelector('.tag')?.textContent).toBe(say.status.submitted);
    await expectStatus(client, request.ref, 'submitted');
    expect((await submit(await as(walk, 'manager-client'), own.ref)).status).toBe(303);

    expect((await newEmails()).sent).toEqual([
      ['request-submitted', emailOf(walk, 'officer'), lang],
      ['request-submitted', emailOf(walk, 'officer'), lang],
    ]);
    const officer = await as(walk, 'officer');
    expect(await queue(officer, lang, 'program_officer-toScreen')).toEqual([request.ref, own.ref]);
    const outsider = await as(other, 'officer');
    expect(await queue(outsider, other.lang, 'program_officer-toScreen')).not.toContain(
      request.ref,
    );
  });
});

describe('after both walks', () => {
  it('has a matching event for every status: nothing but transition() wrote one', async () => {
    await expectStatusesFromEvents(w, ['submitted', 'submitted', 'submitted', 'submitted']);
    expect(w.t.missingKeys).toEqual([]);
  });
});

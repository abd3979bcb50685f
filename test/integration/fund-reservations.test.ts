import type { Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { TransitionError } from '../../src/lifecycle/transition.ts';
import { maxTotalCents } from '../../src/platform/money.ts';
import {
  amendFundReservation,
  releaseFundReservation,
  type ReservationChange,
} from '../../src/review/fund-reservations.ts';
import { errorsOf, factsOf, fieldValue } from '../helpers/pages.ts';
import { releasePath, requestPath, reviewWorld } from '../helpers/review-world.ts';
import {
  aCancelledOpportunity,
  aFundedRequest,
  aPublishedOpportunity,
  currentUserOf,
} from '../helpers/scenarios.ts';

/**
 * A section 32 reservation after its approval: amended to what the invoice really charges, and
 * released in part or in whole, each change an event; finance's screen records a release.
 */
const w = reviewWorld();
const PRICE = 650_000;
const TOTAL = maxTotalCents(PRICE);
const reason = 'The invoice charges Ontario HST at 13%, not the 15% reserved.';

const person = (name: string) => currentUserOf(w.database.db, w.ids[name]!);
const held = (opportunityId: number) =>
  w.database.db('fund_reservations').where({ opportunity_id: opportunityId }).first();
const stepsOf = async (id: number, ...actions: string[]) =>
  (await w.eventsOf(id)).filter((e) => actions.includes(e.action));

/** One change in its own transaction, as a later step (the invoice) would call it. */
function change(run: (trx: Knex.Transaction) => Promise<ReservationChange>) {
  return w.database.db.transaction(run);
}

const funded = () =>
  aFundedRequest(w.t, { requester: w.ids.client, manager: w.ids.manager, priceCents: PRICE });

describe('amending a fund reservation', () => {
  it('sets the amount held to the real one, as an event naming who, why and both amounts', async () => {
    const request = await funded();
    const manager = await person('manager');
    const now = w.t.clock.now();
    const amend = { opportunityId: request.id, amountCents: 734_500, reason, now };
    expect(await change((trx) => amendFundReservation(trx, manager, amend))).toEqual({ ok: true });
    expect(await held(request.id)).toMatchObject({ amount_cents: 734_500, released_at: null });
    const [event] = await stepsOf(request.id, 'funds_amended');
    expect(event).toMatchObject({ actor_id: w.ids.manager, duty: 'approve_funds', reason });
    expect(event.payload).toMatchObject({ fromCents: TOTAL, toCents: 734_500 });
    expect(event.at).toEqual(now);
    // The request page's history names the step in words.
    const page = await (await w.as('manager')).client.get(requestPath(request.reference));
    expect(page.text).toContain('Fund reservation amended');
  });

  it("refuses an amount past the manager's limit or the cap, the same amount, and no reason", async () => {
    const request = await funded();
    const amend = async (name: string, amountCents: number, why = reason) => {
      const actor = await person(name);
      return change((trx) =>
        amendFundReservation(trx, actor, {
          opportunityId: request.id,
          amountCents,
          reason: why,
          now: w.t.clock.now(),
        }),
      );
    };
    expect(await amend('low-limit', 600_000)).toEqual({
      ok: false,
      key: 'review.errors.amendOverLimit',
    });
    expect(await amend('manager', 1_000_001)).toEqual({
      ok: false,
      key: 'review.errors.amendOverCap',
    });
    expect(await amend('manager', TOTAL)).toEqual({
      ok: false,
      key: 'review.errors.amendUnchanged',
    });
    await expect(amend('manager', 700_000, '  ')).rejects.toMatchObject({
      failure: { kind: 'reason_required' },
    });
    await expect(amend('finance', 700_000)).rejects.toBeInstanceOf(TransitionError);
    expect((await held(request.id)).amount_cents).toBe(TOTAL);
    expect(await stepsOf(request.id, 'funds_amended')).toEqual([]);
  });

  it('is refused to the requester, whatever roles they hold (segregation of duties)', async () => {
    const own = await aFundedRequest(w.t, {
      requester: w.ids['manager-client'],
      manager: w.ids.manager,
    });
    const requester = await person('manager-client');
    await expect(
      change((trx) =>
        amendFundReservation(trx, requester, {
          opportunityId: own.id,
          amountCents: 700_000,
          reason,
          now: w.t.clock.now(),
        }),
      ),
    ).rejects.toMatchObject({
      failure: { kind: 'segregation', conflicts: [{ reason: 'same_person_requested' }] },
    });
  });
});

describe('releasing a fund reservation', () => {
  it("releases part of an open opportunity's funds, never all of them while it is open", async () => {
    const open = await aPublishedOpportunity(w.t, { requester: w.ids.client, priceCents: PRICE });
    const finance = await person('finance');
    const release = (cents?: number) =>
      change((trx) =>
        releaseFundReservation(trx, finance, {
          opportunityId: open.id,
          cents,
          now: w.t.clock.now(),
        }),
      );
    expect(await release(13_000)).toEqual({ ok: true });
    expect(await held(open.id)).toMatchObject({ released_cents: 13_000, released_at: null });
    const [event] = await stepsOf(open.id, 'funds_partly_released');
    expect(event.actor_id).toBe(w.ids.finance);
    expect(event.payload).toMatchObject({ releasedCents: 13_000, leftCents: TOTAL - 13_000 });

    expect(await release()).toEqual({ ok: false, key: 'review.errors.fundsStillCommitted' });
    expect(await release(TOTAL)).toEqual({ ok: false, key: 'review.errors.releaseAmount' });
    expect(await release(0)).toEqual({ ok: false, key: 'review.errors.releaseAmount' });
    // Amending below what was released would hold less than nothing.
    const manager = await person('manager');
    expect(
      await change((trx) =>
        amendFundReservation(trx, manager, {
          opportunityId: open.id,
          amountCents: 13_000,
          reason,
          now: w.t.clock.now(),
        }),
      ),
    ).toEqual({ ok: false, key: 'review.errors.amendBelowReleased' });
    const client = await person('client');
    await expect(
      change((trx) =>
        releaseFundReservation(trx, client, { opportunityId: open.id, now: w.t.clock.now() }),
      ),
    ).rejects.toBeInstanceOf(TransitionError);
    expect(await held(open.id)).toMatchObject({ released_cents: 13_000, released_at: null });
  });

  it("records on finance's screen part of a cancelled opportunity's funds, then the rest", async () => {
    const cancelled = await aCancelledOpportunity(w.t, {
      requester: w.ids.client,
      priceCents: PRICE,
    });
    const finance = await w.as('finance');
    const page = async () =>
      (await finance.client.get(requestPath(cancelled.reference)).expect(200)).text;
    const post = (amount: string) =>
      finance.post(releasePath(cancelled.reference), { amount }, requestPath(cancelled.reference));

    const form = await page();
    expect(fieldValue(form, 'amount')).toBe('');
    expect(form).toContain('all that is still reserved ($7,475.00)');
    for (const typed of ['abc', '7,475.01', '0']) {
      const refused = await post(typed);
      expect(refused.status, typed).toBe(400);
      expect(errorsOf(refused.text), typed).toEqual([
        'Enter the amount released in dollars, no more than what is still reserved, or leave it empty to release all of it.',
      ]);
      expect(fieldValue(refused.text, 'amount'), typed).toBe(typed);
    }
    expect((await held(cancelled.id)).released_cents).toBe(0);

    const part = await post('1,000.50');
    expect(part.status).toBe(303);
    expect(part.headers.location).toBe(`${requestPath(cancelled.reference)}?done=partlyReleased`);
    const after = await page();
    expect(factsOf(after)).toMatchObject({
      'Released so far': '$1,000.50',
      'Still reserved': '$6,474.50',
    });
    expect(after).toContain('Part of the reserved funds released');

    const rest = await post('');
    expect(rest.headers.location).toBe(`${requestPath(cancelled.reference)}?done=released`);
    expect(await held(cancelled.id)).toMatchObject({
      released_cents: TOTAL,
      released_by: w.ids.finance,
    });
    expect((await held(cancelled.id)).released_at).toEqual(w.t.clock.now());
    expect(
      (await stepsOf(cancelled.id, 'funds_partly_released', 'funds_released')).map((e) => [
        e.action,
        e.payload.releasedCents,
      ]),
    ).toEqual([
      ['funds_partly_released', 100_050],
      ['funds_released', TOTAL - 100_050],
    ]);
    const twice = await post('');
    expect(twice.status).toBe(400);
    expect(errorsOf(twice.text)).toEqual([
      'There are no reserved funds waiting to be released for this request.',
    ]);
  });
});

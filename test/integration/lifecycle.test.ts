import { describe, expect, it } from 'vitest';
import { confirmOverride, proposeOverride } from '../../src/lifecycle/overrides.ts';
import { TransitionError } from '../../src/lifecycle/transition.ts';
import { opportunityMachine } from '../../src/opportunities/machine.ts';
import type { CurrentUser } from '../../src/platform/auth.ts';
import {
  act,
  clock,
  database,
  draft,
  eventsOf,
  people,
  refusal,
  reserveFunds,
  version,
} from '../helpers/engine-world.ts';

describe('transition(): the one way an opportunity changes status', () => {
  it('walks a request to publication and closing, one event per step with who, from and to', async () => {
    const id = await draft();
    await act({ opportunityId: id, action: 'submit', actor: people.client! });
    await act({ opportunityId: id, action: 'screen', actor: people.officer! });
    await act({
      opportunityId: id,
      action: 'approve_funds',
      actor: people.manager!,
      payload: { reservation: 'FR-1' },
    });
    await reserveFunds(id);
    await act({ opportunityId: id, action: 'complete_translation', actor: people.officer! });
    await act({ opportunityId: id, action: 'approve_preview', actor: people.client! });
    await act({ opportunityId: id, action: 'publish', actor: people.officer! });
    await act({ opportunityId: id, action: 'close', actor: null });
    const events = await eventsOf(id);
    expect(events.map((e) => `${e.from_state}→${e.to_state}`)).toEqual([
      'null→draft',
      'draft→submitted',
      'submitted→screened',
      'screened→funds_approved',
      'funds_approved→translated',
      'translated→ready',
      'ready→published',
      'published→closed',
    ]);
    expect(events[3]).toMatchObject({
      actor_id: people.manager!.id,
      payload: { reservation: 'FR-1' },
    });
    expect(events[7]!.actor_id).toBeNull();
    expect(await version(id)).toBe(8);
  });

  it('counts a second click on "approve" once: exactly one event, the other refused as stale', async () => {
    const id = await draft();
    await act({ opportunityId: id, action: 'submit', actor: people.client! });
    await act({ opportunityId: id, action: 'screen', actor: people.officer! });
    const seen = await version(id);
    const clicks = await Promise.allSettled([
      act({
        opportunityId: id,
        action: 'approve_funds',
        actor: people.manager!,
        expectedVersion: seen,
      }),
      act({
        opportunityId: id,
        action: 'approve_funds',
        actor: people.manager!,
        expectedVersion: seen,
      }),
    ]);
    expect(clicks.map((c) => c.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = clicks.find((c) => c.status === 'rejected') as PromiseRejectedResult;
    expect((rejected.reason as TransitionError).failure).toEqual({ kind: 'stale' });
    expect((await eventsOf(id)).filter((e) => e.action === 'approve_funds')).toHaveLength(1);
  });

  it('refuses staff of another department and people without the role', async () => {
    const id = await draft();
    await act({ opportunityId: id, action: 'submit', actor: people.client! });
    expect(
      await refusal({ opportunityId: id, action: 'screen', actor: people.tbsOfficer! }),
    ).toEqual({ kind: 'forbidden' });
    expect(await refusal({ opportunityId: id, action: 'screen', actor: people.client! })).toEqual({
      kind: 'forbidden',
    });
    expect(await refusal({ opportunityId: id, action: 'close', actor: null })).toEqual({
      kind: 'wrong_state',
      status: 'submitted',
    });
  });

  it('refuses section 32 approval by the requester, unless a second person confirms with a reason', async () => {
    const id = await draft({ requester: people.clientManager! });
    await act({ opportunityId: id, action: 'submit', actor: people.clientManager! });
    await act({ opportunityId: id, action: 'screen', actor: people.officer! });
    expect(
      await refusal({ opportunityId: id, action: 'approve_funds', actor: people.clientManager! }),
    ).toEqual({
      kind: 'segregation',
      conflicts: [{ reason: 'same_person_requested', earlierDuty: 'request' }],
    });
    const reason = 'Only one manager in this small unit.';
    const overrideId = await database.db.transaction((trx) =>
      proposeOverride(trx, opportunityMachine, {
        id,
        action: 'approve_funds',
        actor: people.clientManager!,
        reason,
        now: clock.now(),
      }),
    );
    const confirmBy = (confirmer: CurrentUser) =>
      database.db
        .transaction((trx) =>
          confirmOverride(trx, opportunityMachine, { overrideId, confirmer, now: clock.now() }),
        )
        .then(
          () => undefined,
          (error: unknown) => {
            if (error instanceof TransitionError) return error.failure;
            throw error;
          },
        );
    expect(await confirmBy(people.clientManager!)).toMatchObject({
      kind: 'segregation',
      refusal: 'confirmer_is_actor',
    });
    // Someone without section 32 authority cannot vouch for a section 32 step.
    expect(await confirmBy(people.officer!)).toEqual({ kind: 'forbidden' });
    // Proposed but not yet confirmed: still refused.
    expect(
      await refusal({ opportunityId: id, action: 'approve_funds', actor: people.clientManager! }),
    ).toMatchObject({ kind: 'segregation' });
    expect(await confirmBy(people.manager!)).toBeUndefined();
    await act({ opportunityId: id, action: 'approve_funds', actor: people.clientManager! });
    const [approval] = (await eventsOf(id)).filter((e) => e.action === 'approve_funds');
    expect(approval!.payload.override).toMatchObject({
      proposedBy: people.clientManager!.id,
      confirmedBy: people.manager!.id,
      reason,
    });
  });

  it('refuses an amount including tax above the manager’s delegated limit', async () => {
    const id = await draft(); // $6,500 before tax → $7,475 with 15% HST
    await act({ opportunityId: id, action: 'submit', actor: people.client! });
    await act({ opportunityId: id, action: 'screen', actor: people.officer! });
    expect(
      await refusal({ opportunityId: id, action: 'approve_funds', actor: people.smallManager! }),
    ).toEqual({
      kind: 'guard',
      failure: { code: 'over_delegated_limit' },
    });
    expect((await eventsOf(id)).map((e) => e.action)).toEqual(['create', 'submit', 'screen']);
  });

  it('refuses translation complete while any text lacks its French, and no publication without section 32', async () => {
    const id = await draft();
    await database.db('opportunities').where({ id }).update({ summary_fr: '  ' });
    await act({ opportunityId: id, action: 'submit', actor: people.client! });
    await act({ opportunityId: id, action: 'screen', actor: people.officer! });
    expect(await refusal({ opportunityId: id, action: 'publish', actor: people.officer! })).toEqual(
      {
        kind: 'wrong_state',
        status: 'screened',
      },
    );
    await act({ opportunityId: id, action: 'approve_funds', actor: people.manager! });
    expect(
      await refusal({ opportunityId: id, action: 'complete_translation', actor: people.officer! }),
    ).toEqual({
      kind: 'guard',
      failure: { code: 'not_bilingual', values: { fields: 'summary' } },
    });
    await database.db('opportunities').where({ id }).update({ summary_fr: 'Résumé en français.' });
    await act({ opportunityId: id, action: 'complete_translation', actor: people.officer! });
    await act({ opportunityId: id, action: 'approve_preview', actor: people.client! });
    // The transition was recorded without the section 32 record the approval screen writes.
    expect(await refusal({ opportunityId: id, action: 'publish', actor: people.officer! })).toEqual(
      { kind: 'guard', failure: { code: 'no_fund_reservation' } },
    );
    await expect(
      database.db('opportunities').where({ id }).update({ status: 'published' }),
    ).rejects.toThrow(/no section 32 fund reservation/);
    // A reservation already released does not cover it either.
    await reserveFunds(id);
    await database
      .db('fund_reservations')
      .where({ opportunity_id: id })
      .update({ released_at: clock.now() });
    expect(await refusal({ opportunityId: id, action: 'publish', actor: people.officer! })).toEqual(
      { kind: 'guard', failure: { code: 'no_fund_reservation' } },
    );
    await expect(
      database.db('opportunities').where({ id }).update({ status: 'published' }),
    ).rejects.toThrow(/no section 32 fund reservation/);
    await database
      .db('fund_reservations')
      .where({ opportunity_id: id })
      .update({ released_at: null });
    await act({ opportunityId: id, action: 'publish', actor: people.officer! });
  });

  it('lets only the requester submit their draft', async () => {
    const id = await draft({ requester: people.client! });
    // clientManager is a client of the same department, but not the one who wrote it.
    expect(
      await refusal({ opportunityId: id, action: 'submit', actor: people.clientManager! }),
    ).toEqual({ kind: 'guard', failure: { code: 'not_requester' } });
    await act({ opportunityId: id, action: 'submit', actor: people.client! });
  });

  it('checks contract splitting itself on submission, whoever calls it, and wants a justification past $10,000', async () => {
    const id = await draft();
    const { cost_centre: costCentre } = await database
      .db('opportunities')
      .where({ id })
      .first('cost_centre');
    // Another purchase of the same cost centre: $8,000 before tax, screened.
    const related = await draft({ priceCents: 800_000, costCentre });
    await act({ opportunityId: related, action: 'submit', actor: people.client! });
    await act({ opportunityId: related, action: 'screen', actor: people.officer! });
    expect(await refusal({ opportunityId: id, action: 'submit', actor: people.client! })).toEqual({
      kind: 'guard',
      failure: { code: 'splitting_justification' },
    });
    await database
      .db('opportunities')
      .where({ id })
      .update({ splitting_justification: 'A separate need, from a different program area.' });
    await act({ opportunityId: id, action: 'submit', actor: people.client! });
  });

  it('requires a written reason to decline, and changes nothing without one', async () => {
    const id = await draft();
    await act({ opportunityId: id, action: 'submit', actor: people.client! });
    expect(
      await refusal({ opportunityId: id, action: 'decline', actor: people.officer!, reason: '  ' }),
    ).toEqual({
      kind: 'reason_required',
    });
    await act({
      opportunityId: id,
      action: 'decline',
      actor: people.officer!,
      reason: 'Not open-source work.',
    });
    const last = (await eventsOf(id)).at(-1);
    expect(last).toMatchObject({
      action: 'decline',
      to_state: 'declined',
      reason: 'Not open-source work.',
    });
  });

  it('keeps the event log append-only', async () => {
    const id = await draft();
    await act({ opportunityId: id, action: 'submit', actor: people.client! });
    await expect(
      database.db('events').where({ entity_id: id }).update({ reason: 'rewritten' }),
    ).rejects.toThrow(/append-only/);
    await expect(database.db('events').where({ entity_id: id }).delete()).rejects.toThrow(
      /append-only/,
    );
  });
});

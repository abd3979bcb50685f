import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { errorSummary, factsOf } from '../helpers/pages.ts';
import { cancelPath, requestPath, reviewWorld, section32Path } from '../helpers/review-world.ts';
import { aScreenedRequest } from '../helpers/scenarios.ts';

/** FAA section 32: the manager's approval of a screened request and its fund reservation. */
const w = reviewWorld();
const { ids, opportunity, eventsOf, outboxOf, reservationsOf, version } = w;
const as = (name: string) => w.as(name);
const screened = (requester = 'client', costCentre?: string) =>
  aScreenedRequest(w.t, { requester: ids[requester], costCentre });

describe('section 32 approval', () => {
  const attestation =
    'Under section 32 of the Financial Administration Act, I confirm that there is a sufficient unencumbered balance available in the appropriation to cover this commitment of $7,475.00 including taxes.';

  it('shows the amount including tax, the coding, the manager’s limit and the wording', async () => {
    const { reference } = await screened('client', '100234');
    const res = await (await as('low-limit')).client.get(section32Path(reference)).expect(200);
    expect(factsOf(res.text)).toMatchObject({
      'Amount to commit, including tax': '$7,475.00',
      'Fixed price before tax': '$6,500.00',
      'Cost centre': '100234',
      Fund: '1000',
      'General ledger (GL) account': '52202',
      'Your delegated limit in this department': '$5,000.00',
    });
    expect(res.text).toContain('above your delegated limit');
    expect(parse(res.text).querySelector('label[for="attest"]')?.text).toBe(attestation);
  });

  it('refuses an amount over the manager’s delegated limit ($5,000 against $7,475), in both languages', async () => {
    const { id, reference } = await screened();
    const low = await as('low-limit');
    const form = { reservationNumber: 'FR-2026-1', attest: 'yes', version: await version(id) };
    const res = await low.post(section32Path(reference), form);
    expect(res.status).toBe(409);
    expect(errorSummary(res.text)).toContain('above your delegated limit under section 32');
    expect(parse(res.text).querySelector('#reservationNumber')?.getAttribute('value')).toBe(
      'FR-2026-1',
    );
    const french = await low.post(section32Path(reference, 'fr'), form);
    expect(french.status).toBe(409);
    expect(errorSummary(french.text)).toContain('dépasse votre pouvoir délégué');
    expect((await opportunity(id)).status).toBe('screened');
    expect(await reservationsOf(id)).toHaveLength(0);
  });

  it('refuses the requester, even with the role and the limit (segregation of duties)', async () => {
    const { id, reference } = await screened('manager-client');
    const res = await (
      await as('manager-client')
    ).post(section32Path(reference), {
      reservationNumber: 'FR-2026-2',
      attest: 'yes',
      version: await version(id),
    });
    expect(res.status).toBe(409);
    expect(errorSummary(res.text)).toContain('You requested this opportunity');
    expect(await reservationsOf(id)).toHaveLength(0);
  });

  it('checks the form: the reservation number and the attestation are required', async () => {
    const { id, reference } = await screened();
    const manager = await as('manager');
    const res = await manager.post(section32Path(reference), {
      reservationNumber: 'FR 2026 / 7',
      version: await version(id),
    });
    expect(res.status).toBe(400);
    const summary = errorSummary(res.text);
    expect(summary).toContain('Enter a fund reservation number of 30 letters, digits or hyphens');
    expect(summary).toContain(
      'Check the box to confirm that the funds are available (section 32).',
    );
    expect(
      (await manager.post(section32Path(reference), { attest: 'yes', version: '1' })).status,
    ).toBe(400);
    expect(await reservationsOf(id)).toHaveLength(0);
  });

  it('records the reservation with who, limit, amount, coding and wording; a second click is stale', async () => {
    const { id, reference } = await screened('client', '100235');
    const manager = await as('manager');
    const form = {
      reservationNumber: ' FR-2026-004512 ',
      attest: 'yes',
      version: await version(id),
    };
    const res = await manager.post(section32Path(reference), form);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${requestPath(reference)}?done=fundsApproved`);
    expect((await opportunity(id)).status).toBe('funds_approved');
    const [reservation] = await reservationsOf(id);
    expect(reservation).toMatchObject({
      department_id: w.esdc,
      reservation_number: 'FR-2026-004512',
      amount_cents: 747_500,
      cost_centre: '100235',
      fund: '1000',
      gl_account: '52202',
      delegated_limit_cents: 1_000_000,
      attestation,
      approved_by: ids.manager,
    });
    expect(reservation.approved_at.toISOString()).toBe(w.t.clock.now().toISOString());
    const translators = (await outboxOf('translation-needed')).filter(
      (e) => e.data.reference === reference,
    );
    expect(translators.map((e) => e.recipient).sort()).toEqual([
      'agente@example.gc.ca',
      'officer-client@example.gc.ca',
      'officer@example.gc.ca',
    ]);

    const again = await manager.post(section32Path(reference), form);
    expect(again.status).toBe(409);
    expect(errorSummary(again.text)).toContain('or you clicked twice');
    expect(await reservationsOf(id)).toHaveLength(1);
    expect((await eventsOf(id)).filter((e) => e.action === 'approve_funds')).toHaveLength(1);

    const shown = (await manager.client.get(requestPath(reference)).expect(200)).text;
    expect(factsOf(shown)).toMatchObject({
      'Fund reservation number': 'FR-2026-004512',
      'Amount including tax': '$7,475.00',
      'Approved by': 'manager',
      'Their delegated limit': '$10,000.00',
    });
    const page = parse(shown);
    expect(page.querySelector('blockquote')?.text.trim()).toBe(attestation);
    expect(page.querySelector(`a[href="${section32Path(reference)}"]`)).toBeNull();
  });
});

describe('departments', () => {
  it('answers 404 to another department’s staff on every page of an ESDC request', async () => {
    const { id, reference } = await screened();
    const tbsOfficer = await as('tbs-officer');
    const tbsManager = await as('tbs-manager');
    await tbsOfficer.client.get(requestPath(reference)).expect(404);
    await (await as('tbs-client')).client.get(requestPath(reference)).expect(404);
    await tbsManager.client.get(section32Path(reference)).expect(404);
    await (await as('tbs-finance')).client.get(requestPath(reference)).expect(404);
    const posted = await tbsManager.post(
      section32Path(reference),
      { reservationNumber: 'FR-1', attest: 'yes', version: await version(id) },
      '/en/work-queues',
    );
    expect(posted.status).toBe(404);
    const cancelled = await tbsOfficer.post(
      cancelPath(reference),
      { reason: 'Not ours', confirm: 'yes', version: await version(id) },
      '/en/work-queues',
    );
    expect(cancelled.status).toBe(404);
    expect((await opportunity(id)).status).toBe('screened');
    expect(await reservationsOf(id)).toHaveLength(0);
  });
});

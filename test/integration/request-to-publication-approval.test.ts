import { parse } from 'node-html-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatMoney } from '../../src/platform/money.ts';
import { errorsOf, factsOf, fieldValue } from '../helpers/pages.ts';
import { walks, type Walk } from '../helpers/publication-walks.ts';
import {
  expectStatusesFromEvents,
  publicationWorld,
  walkOf,
} from '../helpers/publication-world.ts';

/** Days 2 and 3 of the walks: screening, and section 32 with its refusals and a double click. */
const w = publicationWorld();
const { eventsOf, reservationsOf, snapshot, newEmails, queue, emailOf, idOf } = w;
const as = (walk: Walk, name: string) => w.as(walk, name);
const html = (text: string) => parse(text);
const inputValue = (text: string, name: string) => fieldValue(text, name) ?? '';

describe.each(walks)('a request of $acronym.en is screened and its funds approved', (walk) => {
  const {
    lang,
    say,
    path,
    day,
    onDay,
    finalTotal,
    expectStatus,
    expectHiddenFromOtherDepartment,
    builtUpTo,
  } = walkOf(w, walk);
  const request = { id: 0, ref: '' };
  const own = { id: 0, ref: '' };

  beforeAll(async () => {
    const built = await builtUpTo('submitted');
    Object.assign(request, built.request);
    Object.assign(own, built.own);
  });

  it('day 2: the program officer screens both; the section 32 managers are asked', async () => {
    onDay(2);
    const officer = await as(walk, 'officer');
    for (const r of [request, own]) {
      const page = await officer.client.get(path('request', { ref: r.ref })).expect(200);
      const res = await officer.post(
        path('screenRequest', { ref: r.ref }),
        { decision: 'accept', comments: '', version: inputValue(page.text, 'version') },
        path('request', { ref: r.ref }),
      );
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`${path('request', { ref: r.ref })}?done=accepted`);
    }
    await expectStatus(officer, request.ref, 'screened');
    // Each section 32 manager of the department, once per request; never the other department's.
    const managers = ['low-limit', 'manager', 'manager-client'].map((n) => emailOf(walk, n));
    expect((await newEmails()).sent).toEqual(
      managers
        .flatMap((m) => [
          ['funds-approval-needed', m, lang],
          ['funds-approval-needed', m, lang],
        ])
        .sort(),
    );
    expect(await queue(officer, lang, 'program_officer-toScreen')).toEqual([]);
    expect(await queue(await as(walk, 'manager'), lang, 'section32_manager-toApprove')).toEqual([
      request.ref,
      own.ref,
    ]);
  });

  it('day 3: section 32 refuses the $5,000 manager and self-approval; a double click approves once', async () => {
    onDay(3);
    // Over the delegated limit: $5,000 against the total including tax.
    const low = await as(walk, 'low-limit');
    const lowPage = await low.client.get(path('approveFunds', { ref: request.ref })).expect(200);
    const before = await snapshot(request.id);
    const refused = await low.post(path('approveFunds', { ref: request.ref }), {
      reservationNumber: 'FR-LOW-1',
      attest: 'yes',
      version: inputValue(lowPage.text, 'version'),
    });
    expect(refused.status).toBe(409);
    expect(errorsOf(refused.text)).toEqual([say.overLimit]);
    expect(inputValue(refused.text, 'reservationNumber')).toBe('FR-LOW-1');
    expect(await snapshot(request.id)).toEqual(before);

    // Self-approval: the requester holds the role and the limit, and is still refused.
    const self = await as(walk, 'manager-client');
    // Their page offers no approval, only an override a second manager must confirm: the
    // approval is posted by hand, with the version the request is at.
    await self.client.get(path('approveFunds', { ref: own.ref })).expect(200);
    const ownBefore = await snapshot(own.id);
    const selfApproval = await self.post(
      path('approveFunds', { ref: own.ref }),
      { reservationNumber: 'FR-SELF-1', attest: 'yes', version: String(ownBefore.row.version) },
      path('approveFunds', { ref: request.ref }),
    );
    expect(selfApproval.status).toBe(409);
    expect(errorsOf(selfApproval.text)).toEqual([say.ownRequest]);
    expect(await snapshot(own.id)).toEqual(ownBefore);

    await expectHiddenFromOtherDepartment(request.ref, request.id);

    // The $10,000 manager approves; the second click of the same page is stale.
    const manager = await as(walk, 'manager');
    const page = await manager.client.get(path('approveFunds', { ref: request.ref })).expect(200);
    const attestation = html(page.text).querySelector('label[for="attest"]')!.textContent.trim();
    expect(attestation).toContain(formatMoney(finalTotal, lang));
    const form = {
      reservationNumber: `FR-${walk.slug.toUpperCase()}-004512`,
      attest: 'yes',
      version: inputValue(page.text, 'version'),
    };
    // Both clicks leave before the first answer comes back, as a double click does.
    const clicks = await Promise.all(
      [1, 2].map(() => manager.post(path('approveFunds', { ref: request.ref }), form)),
    );
    const [first, second] = clicks.sort((x, y) => x.status - y.status);
    expect(first!.status).toBe(303);
    expect(first!.headers.location).toBe(
      `${path('request', { ref: request.ref })}?done=fundsApproved`,
    );
    expect(second!.status).toBe(409);
    expect(errorsOf(second!.text)).toEqual([say.stale]);
    // A third, later click of the same page is refused the same way.
    const third = await manager.post(path('approveFunds', { ref: request.ref }), form);
    expect(third.status).toBe(409);
    expect(errorsOf(third.text)).toEqual([say.stale]);

    const approvals = (await eventsOf(request.id)).filter((e) => e.action === 'approve_funds');
    expect(approvals).toHaveLength(1);
    const reservations = await reservationsOf(request.id);
    expect(reservations).toHaveLength(1);
    expect(reservations[0]).toMatchObject({
      department_id: walk.departmentId,
      reservation_number: form.reservationNumber,
      amount_cents: finalTotal,
      cost_centre: walk.request[5].costCentre,
      fund: walk.request[5].fund,
      gl_account: walk.request[5].glAccount,
      delegated_limit_cents: 1_000_000,
      attestation,
      // The wording in the language the manager read it: English for ESDC, French for TBS.
      attestation_language: lang,
      approved_by: idOf(walk, 'manager'),
      release_requested_at: null,
    });
    expect(reservations[0].approved_at).toEqual(day(3));
    await expectStatus(manager, request.ref, 'funds_approved');
    const shown = await manager.client.get(path('request', { ref: request.ref })).expect(200);
    expect(factsOf(shown.text)).toMatchObject({
      [say.facts.reservation]: form.reservationNumber,
      [say.facts.amount]: formatMoney(finalTotal, lang),
      [say.facts.approvedBy]: `manager ${walk.acronym.en}`,
      [say.facts.limit]: formatMoney(1_000_000, lang),
    });

    expect((await newEmails()).sent).toEqual([
      ['translation-needed', emailOf(walk, 'officer'), lang],
    ]);
    const officer = await as(walk, 'officer');
    expect(await queue(officer, lang, 'program_officer-toTranslate')).toEqual([request.ref]);
    expect(await queue(manager, lang, 'section32_manager-toApprove')).toEqual([own.ref]);
  });
});

describe('after both walks', () => {
  it('has a matching event for every status: nothing but transition() wrote one', async () => {
    await expectStatusesFromEvents(w, ['funds_approved', 'screened', 'funds_approved', 'screened']);
    expect(w.t.missingKeys).toEqual([]);
  });
});

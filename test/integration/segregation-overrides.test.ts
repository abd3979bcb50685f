import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { confirmedOverrideFor } from '../../src/lifecycle/overrides.ts';
import { errorSummary, errorsOf, fieldValue } from '../helpers/pages.ts';
import { requestPath, reviewWorld, section32Path } from '../helpers/review-world.ts';
import { aScreenedRequest } from '../helpers/scenarios.ts';

/**
 * Segregation overrides through the screens (issue 9, item 3): a section 32 manager who requested
 * the purchase asks for an override with a reason; a second section 32 manager of the department
 * confirms it from their own session; the requester then approves, once, and the event names both.
 */
const w = reviewWorld();
const { ids, opportunity, eventsOf, outboxOf } = w;
const as = (name: string) => w.as(name);

const proposePath = (ref: string, lang: 'en' | 'fr' = 'en') =>
  lang === 'en'
    ? `/en/requests/${ref}/section-32/override`
    : `/fr/demandes-d-occasion/${ref}/article-32/derogation`;
const confirmPath = (ref: string, id: number, lang: 'en' | 'fr' = 'en') =>
  lang === 'en'
    ? `/en/requests/${ref}/overrides/${id}`
    : `/fr/demandes-d-occasion/${ref}/derogations/${id}`;

const REASON = 'Only one section 32 manager is at work in this unit this month.';

/** Screened, requested by the manager who also holds section 32 in ESDC. */
const ownRequest = () => aScreenedRequest(w.t, { requester: ids['manager-client'] });

const overridesOf = (id: number) =>
  w.database.db('segregation_overrides').where({ opportunity_id: id }).orderBy('id');

/** The overrides a "Needs attention" page links to, by their confirmation pages. */
async function overridesListed(name: string): Promise<string[]> {
  const res = await (await as(name)).client.get('/en/work-queues').expect(200);
  return parse(res.text)
    .querySelectorAll('a')
    .map((a) => a.getAttribute('href') ?? '')
    .filter((href) => href.includes('/overrides/'));
}

/** The requester asks for the override from the section 32 page, as the form sends it. */
async function propose({ id, reference }: { id: number; reference: string }, reason = REASON) {
  const form = { overrideReason: reason, version: await w.version(id) };
  const res = await (
    await as('manager-client')
  ).post(proposePath(reference), form, section32Path(reference));
  expect(res.status, res.text.slice(0, 300)).toBe(303);
  return res;
}

describe('asking for a segregation override on the section 32 page', () => {
  it('shows the requester the conflict and the override form instead of the attestation', async () => {
    const { reference } = await ownRequest();
    const res = await (await as('manager-client')).client.get(section32Path(reference)).expect(200);
    const page = parse(res.text);
    expect(page.text).toContain(
      'You requested this opportunity, so another person must do this step.',
    );
    expect(page.querySelector('#override')?.text).toBe(
      'Ask a second section 32 manager to confirm an override',
    );
    expect(page.querySelector(`form[action="${proposePath(reference)}"] textarea`)).not.toBeNull();
    expect(page.querySelector('#attest')).toBeNull();
    // Another section 32 manager sees the attestation, and no override.
    const other = await (await as('manager')).client.get(section32Path(reference)).expect(200);
    expect(parse(other.text).querySelector('#attest')).not.toBeNull();
    expect(parse(other.text).querySelector('#override')).toBeNull();
  });

  it('refuses a reason under 20 characters in the page’s language and keeps what was typed', async () => {
    const { id, reference } = await ownRequest();
    const a = await as('manager-client');
    const version = await w.version(id);
    const short = 'Small team here.';
    const res = await a.post(
      proposePath(reference),
      { overrideReason: short, version },
      section32Path(reference),
    );
    expect(res.status).toBe(400);
    expect(errorsOf(res.text)).toEqual([
      'Explain the reason for the override in at least 20 characters.',
    ]);
    expect(fieldValue(res.text, 'overrideReason')).toBe(short);
    expect(parse(res.text).querySelector('.error-summary a')?.getAttribute('href')).toBe(
      '#overrideReason',
    );
    const french = await a.post(
      proposePath(reference, 'fr'),
      { overrideReason: short, version },
      section32Path(reference, 'fr'),
    );
    expect(french.status).toBe(400);
    expect(errorsOf(french.text)).toEqual([
      'Expliquez la raison de la dérogation en au moins 20 caractères.',
    ]);
    expect(fieldValue(french.text, 'overrideReason')).toBe(short);
    const blank = await a.post(
      proposePath(reference),
      { overrideReason: '   ', version },
      section32Path(reference),
    );
    expect(blank.status).toBe(400);
    expect(errorsOf(blank.text)).toEqual(['Enter the reason for the override.']);
    // The reason is about the request as the manager saw it: a page since changed is stale.
    const stale = await a.post(
      proposePath(reference),
      { overrideReason: REASON, version: String(Number(version) - 1) },
      section32Path(reference),
    );
    expect(stale.status).toBe(409);
    expect(errorsOf(stale.text)).toEqual([
      'Someone changed this opportunity since you opened the page, or you clicked twice. Reload the page to see its current state.',
    ]);
    expect(await overridesOf(id)).toHaveLength(0);
  });

  it('records a proposal with its reason, then shows it awaiting a second manager', async () => {
    const { id, reference } = await ownRequest();
    const res = await propose({ id, reference });
    expect(res.headers.location).toBe(`${section32Path(reference)}#approval`);
    const [override] = await overridesOf(id);
    expect(override).toMatchObject({
      action: 'approve_funds',
      actor_id: ids['manager-client'],
      proposed_by: ids['manager-client'],
      confirmed_by: null,
      reason: REASON,
    });
    const proposed = (await eventsOf(id)).filter((e) => e.action === 'propose_override');
    expect(proposed).toMatchObject([{ actor_id: ids['manager-client'], reason: REASON }]);
    const page = await (await as('manager-client')).client.get(section32Path(reference));
    expect(parse(page.text).querySelector('#override')?.text).toBe(
      'Override awaiting confirmation',
    );
    expect(page.text).toContain(REASON);
    expect(parse(page.text).querySelector('#attest')).toBeNull();
    // Still refused until someone confirms it.
    const early = await (
      await as('manager-client')
    ).post(section32Path(reference), {
      reservationNumber: 'FR-2026-80',
      attest: 'yes',
      version: await w.version(id),
    });
    expect(early.status).toBe(409);
    expect((await opportunity(id)).status).toBe('screened');
  });
});

describe('confirming an override from a second session', () => {
  it('lists it for the department’s other section 32 managers, not for the proposer or elsewhere', async () => {
    const { id, reference } = await ownRequest();
    await propose({ id, reference });
    const [override] = await overridesOf(id);
    const link = confirmPath(reference, Number(override.id));
    expect(await overridesListed('manager')).toContain(link);
    expect(await overridesListed('low-limit')).toContain(link);
    expect(await overridesListed('manager-client')).not.toContain(link);
    expect(await overridesListed('officer')).not.toContain(link);
    expect(await overridesListed('tbs-manager')).not.toContain(link);
    // Another department's manager does not even learn that it exists.
    await (await as('tbs-manager')).client.get(link).expect(404);
    // Once another manager approves the funds, there is nothing left to confirm.
    const approved = await (
      await as('manager')
    ).post(section32Path(reference), {
      reservationNumber: 'FR-2026-79',
      attest: 'yes',
      version: await w.version(id),
    });
    expect(approved.status).toBe(303);
    expect(await overridesListed('manager')).not.toContain(link);
    const moot = await (await as('low-limit')).client.get(link).expect(200);
    expect(parse(moot.text).querySelector(`form[action="${link}"]`)).toBeNull();
    expect(moot.text).toContain('This step is not possible at this stage.');
  });

  it('refuses the proposer and someone without section 32, in both languages', async () => {
    const { id, reference } = await ownRequest();
    await propose({ id, reference });
    const overrideId = Number((await overridesOf(id))[0].id);
    const proposer = await as('manager-client');
    const own = await proposer.client.get(confirmPath(reference, overrideId)).expect(200);
    expect(
      parse(own.text).querySelector(`form[action="${confirmPath(reference, overrideId)}"]`),
    ).toBeNull();
    expect(own.text).toContain('Another person must confirm the override.');
    const byProposer = await proposer.post(confirmPath(reference, overrideId), {});
    expect(byProposer.status).toBe(409);
    expect(errorSummary(byProposer.text)).toContain('Another person must confirm the override.');
    // Without section 32, the page says why and offers nothing; a POST all the same is a 403.
    const officer = await as('officer');
    for (const lang of ['en', 'fr'] as const) {
      const seen = await officer.client.get(confirmPath(reference, overrideId, lang)).expect(200);
      expect(parse(seen.text).querySelector('main form')).toBeNull();
      expect(seen.text).toContain(
        lang === 'en'
          ? 'Your role does not allow this step for this department.'
          : 'Votre rôle ne permet pas cette étape pour ce ministère.',
      );
    }
    const byOfficer = await officer.post(confirmPath(reference, overrideId), {});
    expect(byOfficer.status).toBe(403);
    expect((await overridesOf(id))[0].confirmed_by).toBeNull();
    expect((await eventsOf(id)).map((e) => e.action)).not.toContain('confirm_override');
  });

  it('lets a second manager confirm, emails the proposer, and the proposer approves once, both named', async () => {
    const { id, reference } = await ownRequest();
    await propose({ id, reference });
    const overrideId = Number((await overridesOf(id))[0].id);
    const manager = await as('manager');
    const shown = await manager.client.get(confirmPath(reference, overrideId)).expect(200);
    const page = parse(shown.text);
    expect(page.text).toContain('They requested this opportunity.');
    expect(page.text).toContain(REASON);
    expect(page.text).toContain('Approving the funds (section 32)');
    expect(page.text).toContain('manager-client');

    const confirmed = await manager.post(confirmPath(reference, overrideId), {});
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.location).toBe(confirmPath(reference, overrideId));
    const after = await manager.client.get(confirmed.headers.location!).expect(200);
    expect(after.text).toContain('manager confirmed this override on');
    expect(await overridesListed('manager')).not.toContain(confirmPath(reference, overrideId));
    const [confirmation] = (await eventsOf(id)).filter((e) => e.action === 'confirm_override');
    expect(confirmation).toMatchObject({ actor_id: ids.manager, reason: REASON });
    expect(confirmation.payload).toMatchObject({
      proposedBy: ids['manager-client'],
      confirmedBy: ids.manager,
    });

    const emails = (await outboxOf('override-confirmed')).filter(
      (e) => e.data.reference === reference,
    );
    expect(emails.map((e) => e.recipient)).toEqual(['manager-client@example.gc.ca']);
    expect(emails[0]?.data.link).toEqual({
      en: section32Path(reference),
      fr: section32Path(reference, 'fr'),
    });
    const mail = w.t.deps.emailRenderer.render('override-confirmed', 'en', emails[0]!.data);
    expect(mail.subject).toBe(
      `Override confirmed: ${reference} | Dérogation confirmée\u00a0: ${reference}`,
    );
    expect(mail.text).toContain(REASON);

    const proposer = await as('manager-client');
    const approvePage = await proposer.client.get(section32Path(reference)).expect(200);
    expect(approvePage.text).toContain(
      'manager confirmed an override of the segregation of duties',
    );
    expect(parse(approvePage.text).querySelector('#attest')).not.toBeNull();
    const form = { reservationNumber: 'FR-2026-81', attest: 'yes' };
    // A refused attempt (a stale page) does not use the override up.
    const stale = await proposer.post(section32Path(reference), { ...form, version: '1' });
    expect(stale.status).toBe(409);
    const approved = await proposer.post(section32Path(reference), {
      ...form,
      version: await w.version(id),
    });
    expect(approved.status).toBe(303);
    expect(approved.headers.location).toBe(`${requestPath(reference)}?done=fundsApproved`);
    const [approval] = (await eventsOf(id)).filter((e) => e.action === 'approve_funds');
    expect(approval).toMatchObject({ actor_id: ids['manager-client'] });
    expect(approval.payload.override).toMatchObject({
      proposedBy: ids['manager-client'],
      confirmedBy: ids.manager,
      reason: REASON,
    });

    // Single use: the approval closed the override; nothing lets the step through again.
    const [used] = await overridesOf(id);
    expect(Number(used.used_event_id)).toBe(Number(approval.id));
    const again = await w.database.db.transaction((trx) =>
      confirmedOverrideFor(trx, {
        entityType: 'opportunity',
        entityId: id,
        action: 'approve_funds',
        actorId: ids['manager-client']!,
      }),
    );
    expect(again).toBeUndefined();
    const reconfirm = await manager.post(confirmPath(reference, overrideId), {});
    expect(reconfirm.status).toBe(409);
    expect(errorSummary(reconfirm.text)).toContain('This override no longer awaits confirmation.');
    expect(reconfirm.text).toContain('This override was confirmed and used');
  });
});

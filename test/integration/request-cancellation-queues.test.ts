import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { errorSummary, factsOf, queueListed } from '../helpers/pages.ts';
import {
  cancelPath,
  releasePath,
  requestPath,
  reviewWorld,
  section32Path,
} from '../helpers/review-world.ts';
import {
  aCancelledOpportunity,
  aDraftRequest,
  aFundedRequest,
  aReadyRequest,
  aReturnedRequest,
  aScreenedRequest,
  aSubmittedRequest,
  aTranslatedRequest,
} from '../helpers/scenarios.ts';

/** Cancelling a request, finance releasing its funds, each role's queue, and the French pages. */
const w = reviewWorld();
const { ids, opportunity, eventsOf, outboxOf, reservationsOf, version } = w;
const as = (name: string) => w.as(name);

/** Submitted three days before the test's "now" (2026-11-23 15:00 UTC). */
const SUBMITTED_AT = '2026-11-20T15:00:00Z';

describe('cancellation', () => {
  it('cancels with a reason, asks section 32 managers and finance to release the funds, and records the release', async () => {
    const { id, reference } = await aScreenedRequest(w.t, { requester: ids.client });
    await (
      await as('manager')
    ).post(section32Path(reference), {
      reservationNumber: 'FR-2026-009001',
      attest: 'yes',
      version: await version(id),
    });
    expect((await opportunity(id)).status).toBe('funds_approved');

    const client = await as('client');
    const form = parse((await client.client.get(cancelPath(reference)).expect(200)).text);
    expect(form.text).toContain('Funds are reserved for this request');
    const noReason = await client.post(cancelPath(reference), {
      confirm: 'yes',
      version: await version(id),
    });
    expect(noReason.status).toBe(400);
    expect(errorSummary(noReason.text)).toContain('Enter the reason for cancelling.');

    const reason = 'The team fixed the validator itself during the sprint.';
    const res = await client.post(cancelPath(reference), {
      reason,
      confirm: 'yes',
      version: await version(id),
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${requestPath(reference)}?done=cancelled`);
    expect((await opportunity(id)).status).toBe('cancelled');
    expect((await eventsOf(id)).find((e) => e.action === 'cancel')).toMatchObject({
      reason,
      actor_id: ids.client,
    });
    const [reservation] = await reservationsOf(id);
    expect(reservation.release_requested_at.toISOString()).toBe(w.t.clock.now().toISOString());
    expect(reservation.released_at).toBeNull();
    const asked = (await outboxOf('funds-release-requested')).filter(
      (e) => e.data.reference === reference,
    );
    expect(asked.map((e) => e.recipient).sort()).toEqual([
      'finance@example.gc.ca',
      'low-limit@example.gc.ca',
      'manager-client@example.gc.ca',
      'manager@example.gc.ca',
    ]);
    expect(asked.every((e) => e.data.detail === reason)).toBe(true);

    const finance = await as('finance');
    const page = parse((await finance.client.get(requestPath(reference)).expect(200)).text);
    expect(page.querySelector(`form[action="${releasePath(reference)}"]`)).not.toBeNull();
    const released = await finance.post(releasePath(reference), {}, requestPath(reference));
    expect(released.status).toBe(303);
    const [after] = await reservationsOf(id);
    expect(after.released_by).toBe(ids.finance);
    expect(after.released_at.toISOString()).toBe(w.t.clock.now().toISOString());
    expect((await eventsOf(id)).filter((e) => e.action === 'funds_released')).toHaveLength(1);

    const twice = await finance.post(releasePath(reference), {}, requestPath(reference));
    expect(twice.status).toBe(400);
    expect(errorSummary(twice.text)).toContain('no reserved funds waiting');
    expect((await eventsOf(id)).filter((e) => e.action === 'funds_released')).toHaveLength(1);
    const history = parse((await client.client.get(requestPath(reference)).expect(200)).text);
    expect(history.text).toContain('Reserved funds released');
    expect(history.text).toContain(reason);
  });

  it('lets a client cancel only their own request', async () => {
    const { id, reference } = await aSubmittedRequest(w.t, { requester: ids.client });
    const colleague = await as('colleague');
    // A colleague's request is not theirs to read (review M6), let alone to cancel.
    expect((await colleague.client.get(cancelPath(reference))).status).toBe(404);
    const res = await colleague.post(
      cancelPath(reference),
      {
        reason: 'I think this duplicates my own request.',
        confirm: 'yes',
        version: await version(id),
      },
      '/en/work-queues',
    );
    expect(res.status).toBe(404);
    expect((await opportunity(id)).status).toBe('submitted');
  });

  it('cancels a request without reserved funds without asking anyone to release them', async () => {
    const { id, reference } = await aSubmittedRequest(w.t, { requester: ids.client });
    const before = (await outboxOf('funds-release-requested')).length;
    const res = await (
      await as('officer')
    ).post(cancelPath(reference), {
      reason: 'Duplicate of another request.',
      confirm: 'yes',
      version: await version(id),
    });
    expect(res.status).toBe(303);
    expect((await outboxOf('funds-release-requested')).length).toBe(before);
    // The client is told that the program officer cancelled their request, and why.
    const told = (await outboxOf('request-cancelled')).filter(
      (e) => (e.data as { reference: string }).reference === reference,
    );
    expect(told.map((e) => e.recipient)).toEqual(['client@example.gc.ca']);
    expect((told[0]!.data as { detail: string }).detail).toBe('Duplicate of another request.');
  });
});

describe('work queues', () => {
  it('lists each role’s work in its own departments only, oldest first', async () => {
    const tbsClient = { department: w.tbs, requester: ids['tbs-client'] };
    const newer = await aSubmittedRequest(w.t, {
      ...tbsClient,
      at: { submit: '2026-11-22T15:00:00Z' },
    });
    const older = await aSubmittedRequest(w.t, { ...tbsClient, at: { submit: SUBMITTED_AT } });
    const screened = await aScreenedRequest(w.t, tbsClient);
    // The manager's own request waits for another manager: it is not in their queue.
    await aScreenedRequest(w.t, { department: w.tbs, requester: ids['tbs-manager'] });
    const approved = await aFundedRequest(w.t, tbsClient);
    const ready = await aReadyRequest(w.t, tbsClient);
    const translated = await aTranslatedRequest(w.t, tbsClient);
    const returned = await aReturnedRequest(w.t, {
      ...tbsClient,
      officer: ids['tbs-officer'],
      reason: 'Add a criterion.',
      at: { return: '2026-11-21T15:00:00Z' },
    });
    // A draft never returned is not waiting for the client's changes.
    await aDraftRequest(w.t, tbsClient);
    // Cancelled after section 32: finance is asked to release the reserved funds.
    const cancelled = await aCancelledOpportunity(w.t, { ...tbsClient, from: 'funds_approved' });

    const officer = (await (await as('tbs-officer')).client.get('/en/work-queues').expect(200))
      .text;
    expect(queueListed(officer, 'program_officer-toScreen')).toEqual([
      older.reference,
      newer.reference,
    ]);
    expect(queueListed(officer, 'program_officer-toTranslate')).toEqual([approved.reference]);
    expect(queueListed(officer, 'program_officer-toPublish')).toEqual([ready.reference]);
    expect(parse(officer).querySelector('#section32_manager-toApprove')).toBeNull();
    const row = parse(officer).querySelector('#program_officer-toScreen + table tbody tr')!;
    const cells = row.text.replace(/\s+/g, ' ');
    expect(cells).toContain('TBS');
    expect(cells).toContain('$7,475.00');
    expect(cells).toContain('November 20, 2026 (3 days)');

    const manager = (await (await as('tbs-manager')).client.get('/en/work-queues').expect(200))
      .text;
    expect(queueListed(manager, 'section32_manager-toApprove')).toEqual([screened.reference]);
    expect(queueListed(manager, 'section32_manager-fundsToRelease')).toEqual([cancelled.reference]);

    const finance = (await (await as('tbs-finance')).client.get('/en/work-queues').expect(200))
      .text;
    expect(queueListed(finance, 'finance_officer-fundsToRelease')).toEqual([cancelled.reference]);

    const client = (await (await as('tbs-client')).client.get('/en/work-queues').expect(200)).text;
    expect(queueListed(client, 'client-returned')).toEqual([returned.reference]);
    expect(queueListed(client, 'client-previews')).toEqual([translated.reference]);
    expect(parse(client).querySelector('#program_officer-toScreen')).toBeNull();

    // Nothing of ESDC's, where requests wait in several states by now.
    const esdcReferences: string[] = await w.database
      .db('opportunities')
      .where({ department_id: w.esdc })
      .pluck('reference');
    expect(esdcReferences.length).toBeGreaterThan(0);
    for (const html of [officer, manager, finance, client]) {
      for (const reference of esdcReferences) expect(html).not.toContain(reference);
    }
  });

  it('says so when a queue is empty, and links staff to their queues from the header', async () => {
    const finance = await as('finance');
    const res = await finance.client.get('/en/work-queues').expect(200);
    expect(queueListed(res.text, 'finance_officer-fundsToRelease')).toEqual([]);
    expect(res.text).toContain('No reserved funds are waiting to be released.');
    const header = parse(res.text).querySelector('.site-menu a[href="/en/work-queues"]');
    expect(header?.text).toBe('Needs attention');
  });
});

describe('in French', () => {
  it('renders every page with no missing key, and French messages on refusal', async () => {
    const { id, reference } = await aSubmittedRequest(w.t, {
      requester: ids.client,
      at: { submit: SUBMITTED_AT },
    });
    const agente = await as('agente');
    const page = await agente.client.get(requestPath(reference, 'fr')).expect(200);
    expect(factsOf(page.text)).toMatchObject({
      'Total, taxes incluses': '7\u00a0475,00\u00a0$',
      'Taxes au taux le plus élevé (15\u00a0%)': '975,00\u00a0$',
      Ministère: 'Ministère EDSC (EDSC)',
    });
    expect(page.text).toContain('20 novembre 2026');
    expect(page.text).toContain('Ce que vous pouvez faire');

    const refused = await agente.post(
      `/fr/demandes-d-occasion/${reference}/examen`,
      { decision: 'decline', comments: '', version: await version(id) },
      requestPath(reference, 'fr'),
    );
    expect(refused.status).toBe(400);
    expect(errorSummary(refused.text)).toContain('Saisissez la raison du refus');

    const screened = await aScreenedRequest(w.t, { requester: ids.client });
    const manager = await as('manager');
    const approval = await manager.client.get(section32Path(screened.reference, 'fr')).expect(200);
    expect(parse(approval.text).querySelector('label[for="attest"]')?.text).toBe(
      'En vertu de l’article 32 de la Loi sur la gestion des finances publiques, je confirme qu’il y a un solde non grevé suffisant dans le crédit pour couvrir cet engagement de 7\u00a0475,00\u00a0$, taxes incluses.',
    );
    await (
      await as('client')
    ).client
      .get(`/fr/demandes-d-occasion/${screened.reference}/annuler`)
      .expect(200);
    for (const name of ['agente', 'manager', 'finance', 'client']) {
      const queues = await (await as(name)).client.get('/fr/a-traiter').expect(200);
      expect(queues.text).toContain('<h1>À traiter</h1>');
    }
    for (const path of [requestPath(reference), section32Path(screened.reference)]) {
      await manager.client.get(path).expect(200);
    }
    expect(w.t.missingKeys).toEqual([]);
  });
});

import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { errorSummary, factsOf } from '../helpers/pages.ts';
import { requestPath, reviewWorld, screenPath } from '../helpers/review-world.ts';
import { submit } from '../helpers/scenario-steps.ts';
import {
  aFundedRequest,
  aReadyRequest,
  aScreenedRequest,
  aSubmittedRequest,
  aTranslatedRequest,
} from '../helpers/scenarios.ts';

/** The program team's screening of a submitted request, and the request page it works from. */
const w = reviewWorld();
const { ids, opportunity, eventsOf, outboxOf, version } = w;
const as = (name: string) => w.as(name);

/** Submitted three days before the test's "now" (2026-11-23 15:00 UTC). */
const SUBMITTED_AT = '2026-11-20T15:00:00Z';
const submitted = (requester = 'client', options: Parameters<typeof aSubmittedRequest>[1] = {}) =>
  aSubmittedRequest(w.t, { requester: ids[requester], at: { submit: SUBMITTED_AT }, ...options });

describe('screening by the program team', () => {
  it('shows the request to the program officer with money, coding, history and the screening form', async () => {
    const request = await submitted('client', { costCentre: '100234' });
    const { reference } = request;
    const res = await (await as('officer')).client.get(requestPath(reference)).expect(200);
    const page = parse(res.text);
    expect(page.querySelector('h1')?.text).toContain(reference);
    expect(page.querySelector('.tag')?.text).toBe('Submitted');
    expect(factsOf(res.text)).toMatchObject({
      Department: 'ESDC department (ESDC)',
      'Requested by': 'client',
      'Fixed price before tax': '$6,500.00',
      'Tax at the highest rate (15%)': '$975.00',
      'Total including tax': '$7,475.00',
      'Cost centre': '100234',
      Fund: '1000',
      'General ledger (GL) account': '52202',
      'Payment method': 'PayPal payout',
      'Work delivery date': 'January 29, 2027',
      English: 'Fix the form validator (' + reference + ')',
    });
    expect(page.text).toContain('A merged pull request in TypeScript');
    expect(page.text).toContain('The request meets every rule of a micro-acquisition.');
    // Every step the client took, from opening the form to submitting it.
    const history = page.querySelectorAll('#history + table tbody tr');
    expect(history.map((row) => row.querySelectorAll('td')[1]?.text.trim())).toEqual([
      'Request started',
      ...Array.from({ length: 5 }, () => 'Request form step saved'),
      'Submitted',
    ]);
    expect(history.at(-1)?.text).toContain('Submitted');
    expect(history.at(-1)?.text).toContain('November 20, 2026');
    expect(page.querySelector(`form[action="${screenPath(reference)}"]`)).not.toBeNull();
    expect(page.querySelector('input[name="version"]')?.getAttribute('value')).toBe(
      String(request.version),
    );
  });

  it('accepts a request and asks the department’s section 32 managers, not another department’s', async () => {
    const { id, reference } = await submitted();
    const officer = await as('officer');
    const res = await officer.post(
      screenPath(reference),
      { decision: 'accept', comments: '', version: await version(id) },
      requestPath(reference),
    );
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${requestPath(reference)}?done=accepted`);
    expect((await opportunity(id)).status).toBe('screened');
    const screen = (await eventsOf(id)).filter((e) => e.action === 'screen');
    expect(screen).toHaveLength(1);
    expect(screen[0]).toMatchObject({ actor_id: ids.officer, from_state: 'submitted' });
    const emails = (await outboxOf('funds-approval-needed')).filter(
      (e) => e.data.reference === reference,
    );
    expect(emails.map((e) => e.recipient).sort()).toEqual([
      'low-limit@example.gc.ca',
      'manager-client@example.gc.ca',
      'manager@example.gc.ca',
    ]);
    expect(emails[0]?.data.link).toEqual({
      en: `/en/requests/${reference}/section-32`,
      fr: `/fr/demandes-d-occasion/${reference}/article-32`,
    });
    const shown = await officer.client.get(res.headers.location!).expect(200);
    expect(shown.text).toContain('The request is accepted.');
  });

  it('returns a request with comments; the client sees each round in the history and can change it', async () => {
    const request = await submitted();
    const { id, reference } = request;
    const officer = await as('officer');
    const missing = await officer.post(
      screenPath(reference),
      { decision: 'return', comments: '  ', version: await version(id) },
      requestPath(reference),
    );
    expect(missing.status).toBe(400);
    expect(errorSummary(missing.text)).toContain('Enter your comments for the client');
    expect(parse(missing.text).querySelector('#decision-return')?.hasAttribute('checked')).toBe(
      true,
    );

    const first = 'Add a work acceptance criterion about the French messages.';
    const returned = await officer.post(
      screenPath(reference),
      { decision: 'return', comments: first, version: await version(id) },
      requestPath(reference),
    );
    expect(returned.status).toBe(303);
    expect((await opportunity(id)).status).toBe('draft');
    const email = (await outboxOf('request-returned')).find((e) => e.data.reference === reference);
    expect(email).toMatchObject({ recipient: 'client@example.gc.ca', data: { detail: first } });
    const rendered = w.t.deps.emailRenderer.render(email!.template, email!.language, email!.data);
    expect(rendered.text).toContain('Comments from the program team');
    expect(rendered.text).toContain(first);
    expect(rendered.subject).toContain(reference);

    // The client submits it again; the program team returns it a second time.
    await submit(w.t, request, ids.client!);
    const second = 'The delivery date must leave four weeks after the closing date.';
    expect(
      (
        await officer.post(
          screenPath(reference),
          { decision: 'return', comments: second, version: await version(id) },
          requestPath(reference),
        )
      ).status,
    ).toBe(303);

    const client = await as('client');
    const page = parse((await client.client.get(requestPath(reference)).expect(200)).text);
    const rows = page.querySelectorAll('#history + table tbody tr').map((r) => r.text);
    expect(rows.filter((r) => r.includes('Returned to the client for changes'))).toHaveLength(2);
    expect(rows.join(' ')).toContain(first);
    expect(rows.join(' ')).toContain(second);
    expect(page.querySelector(`a[href="/en/requests/${reference}/step/1"]`)).not.toBeNull();
    expect(page.querySelector(`a[href="/en/requests/${reference}/review"]`)).not.toBeNull();
    expect(page.querySelector(`form[action="${screenPath(reference)}"]`)).toBeNull();

    // A colleague client of the same department does not read it at all (review M6).
    const colleague = await as('colleague');
    const seen = await colleague.client.get(requestPath(reference));
    expect(seen.status).toBe(404);
    expect(seen.text).not.toContain(second);
  });

  it('declines a request and emails the requester the reason', async () => {
    const { id, reference } = await submitted();
    const reason = 'This is a licence purchase, not open-source code to write.';
    const res = await (
      await as('officer')
    ).post(
      screenPath(reference),
      { decision: 'decline', comments: reason, version: await version(id) },
      requestPath(reference),
    );
    expect(res.status).toBe(303);
    expect((await opportunity(id)).status).toBe('declined');
    const decline = (await eventsOf(id)).find((e) => e.action === 'decline');
    expect(decline).toMatchObject({ reason, actor_id: ids.officer, to_state: 'declined' });
    const emails = (await outboxOf('request-declined')).filter(
      (e) => e.data.reference === reference,
    );
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({
      recipient: 'client@example.gc.ca',
      data: { detail: reason },
    });
    const rendered = w.t.deps.emailRenderer.render('request-declined', null, emails[0]!.data);
    expect(rendered.text).toContain(reason);
    expect(rendered.text).toContain('Votre demande d’occasion a été refusée');
  });

  it('needs a second person to approve a contract-splitting justification, never the requester', async () => {
    // An earlier purchase of the same cost centre, screened: the two pass $10,000 together.
    const earlier = await aScreenedRequest(w.t, {
      requester: ids.client,
      costCentre: '100235',
      priceCents: 400_000,
    });
    const { id, reference } = await submitted('officer-client', {
      costCentre: '100235',
      splittingJustification: `A separate need from ${earlier.reference}: another team and budget.`,
    });
    const submittedEvents = await eventsOf(id);
    const requester = await as('officer-client');
    const page = parse((await requester.client.get(requestPath(reference)).expect(200)).text);
    expect(page.text).toContain(earlier.reference);
    // $4,600.00 and $7,475.00 including tax.
    expect(page.text).toContain('$12,075.00');
    expect(page.text).toContain('The justification is not approved yet');
    expect(page.querySelector('input[name="approveSplitting"]')).not.toBeNull();

    const own = await requester.post(
      screenPath(reference),
      { decision: 'accept', approveSplitting: 'yes', version: await version(id) },
      requestPath(reference),
    );
    expect(own.status).toBe(400);
    expect(errorSummary(own.text)).toContain('a second person must approve');

    const officer = await as('officer');
    const unchecked = await officer.post(
      screenPath(reference),
      { decision: 'accept', version: await version(id) },
      requestPath(reference),
    );
    expect(unchecked.status).toBe(409);
    expect(errorSummary(unchecked.text)).toContain(
      'The contract-splitting justification must be approved by a second person',
    );
    expect((await opportunity(id)).splitting_approved_by).toBeNull();
    expect(await eventsOf(id)).toEqual(submittedEvents);
    expect(submittedEvents.at(-1)?.action).toBe('submit');

    const approved = await officer.post(
      screenPath(reference),
      { decision: 'accept', approveSplitting: 'yes', version: await version(id) },
      requestPath(reference),
    );
    expect(approved.status).toBe(303);
    const row = await opportunity(id);
    expect(row.status).toBe('screened');
    expect(row.splitting_approved_by).toBe(ids.officer);
    expect(row.splitting_approved_at.toISOString()).toBe(w.t.clock.now().toISOString());
    const steps = (await eventsOf(id)).slice(submittedEvents.length - 1);
    expect(steps.map((e) => [e.action, e.actor_id])).toEqual([
      ['submit', ids['officer-client']],
      ['splitting_approved', ids.officer],
      ['screen', ids.officer],
    ]);
    const shown = await officer.client.get(requestPath(reference)).expect(200);
    expect(shown.text).toContain('Justification approved by officer');
  });
});

describe('the request page', () => {
  it('offers each person the next steps the lifecycle allows them, and the preview to the requester and the program team', async () => {
    const translated = await aTranslatedRequest(w.t, {
      requester: ids.client,
      at: {
        requestTranslation: '2026-11-21T14:00:00Z',
        translate: '2026-11-22T19:30:00Z',
      },
    });
    const previewLink = `a[href="/en/preview/${translated.previewToken}"]`;
    const client = parse(
      (await (await as('client')).client.get(requestPath(translated.reference)).expect(200)).text,
    );
    expect(client.querySelector(previewLink)).not.toBeNull();
    // The requester's next step: approving the preview, linked from "What you can do".
    expect(client.querySelector(`#actions + ul ${previewLink}`)?.text).toBe(
      'Check the preview and approve it',
    );
    expect(factsOf(client.outerHTML)).toMatchObject({
      'Translation requested on': 'November 21, 2026 at 9:00 a.m. (Eastern time)',
      'Translation received on': 'November 22, 2026 at 2:30 p.m. (Eastern time)',
    });
    const officer = await as('officer');
    const seen = parse((await officer.client.get(requestPath(translated.reference))).text);
    expect(seen.querySelector(previewLink)).not.toBeNull();
    for (const name of ['colleague', 'manager']) {
      const other = parse(
        (await (await as(name)).client.get(requestPath(translated.reference))).text,
      );
      expect(other.querySelector(previewLink), name).toBeNull();
    }

    const approved = await aFundedRequest(w.t, { requester: ids.client });
    const ready = await aReadyRequest(w.t, { requester: ids.client });
    const links = async (name: string, reference: string) =>
      parse((await (await as(name)).client.get(requestPath(reference)).expect(200)).text)
        .querySelectorAll('#actions + ul a')
        .map((a) => a.getAttribute('href'));
    expect(await links('officer', approved.reference)).toEqual([
      `/en/requests/${approved.reference}/translation`,
      `/en/requests/${approved.reference}/cancel`,
    ]);
    expect(await links('officer', ready.reference)).toEqual([
      `/en/requests/${ready.reference}/publish`,
      `/en/requests/${ready.reference}/cancel`,
    ]);
    expect(await links('manager', ready.reference)).toEqual([]);
    expect(await links('finance', approved.reference)).toEqual([]);
  });
});

import { parse } from 'node-html-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeGrants } from '../../src/accounts/repo.ts';
import type { OpportunityStatus } from '../../src/opportunities/states.ts';
import { transition } from '../../src/lifecycle/transition.ts';
import { opportunityMachine } from '../../src/opportunities/machine.ts';
import type { CurrentUser } from '../../src/platform/auth.ts';
import type { OutboxRow } from '../../src/platform/mail/outbox.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment, insertOpportunity } from '../helpers/fixtures.ts';
import { insertPerson, signIn, type Grant, type SignedIn } from '../helpers/people.ts';

const PASSWORD = 'request review passphrase';
/** Submitted three days before the test's "now" (2026-11-23 15:00 UTC). */
const SUBMITTED_AT = '2026-11-20T15:00:00Z';

let database: TestDatabase;
let t: TestApp;
let esdc: number;
let tbs: number;
const ids: Record<string, number> = {};
let sequence = 0;

async function insertStaff(
  name: string,
  grants: Grant[],
  language: 'en' | 'fr' = 'en',
): Promise<number> {
  const id = await insertPerson(database.db, {
    email: `${name}@example.gc.ca`,
    password: PASSWORD,
    language,
    grants,
    confirmedAt: t.clock.now(),
  });
  ids[name] = id;
  return id;
}

const signedIn = new Map<string, SignedIn>();
async function as(name: string) {
  const existing = signedIn.get(name);
  if (existing) return existing;
  const a = await signIn(t.app, `${name}@example.gc.ca`, PASSWORD);
  signedIn.set(name, a);
  return a;
}

/**
 * A request in a given state, as the form and the earlier steps leave it: submitted by its
 * requester three days ago (the event the segregation rules read), not yet published.
 */
async function insertRequest(
  status: OpportunityStatus,
  requester: string,
  options: { department?: number; submittedAt?: string; columns?: Record<string, unknown> } = {},
) {
  sequence += 1;
  const reference = `MA-2026-${String(sequence).padStart(4, '0')}`;
  const id = await insertOpportunity(database.db, {
    reference,
    departmentId: options.department ?? esdc,
    status,
    requesterId: ids[requester],
  });
  await database
    .db('opportunities')
    .where({ id })
    .update({ opens_at: null, closes_at: null, ...options.columns });
  await database.db('events').insert({
    entity_type: 'opportunity',
    entity_id: id,
    action: 'submit',
    from_state: 'draft',
    to_state: 'submitted',
    actor_id: ids[requester],
    at: options.submittedAt ?? SUBMITTED_AT,
  });
  return { id, reference };
}

const requestPath = (ref: string, lang: 'en' | 'fr' = 'en') =>
  lang === 'en' ? `/en/requests/${ref}` : `/fr/demandes-d-occasion/${ref}`;
const screenPath = (ref: string) => `/en/requests/${ref}/screening`;
const section32Path = (ref: string, lang: 'en' | 'fr' = 'en') =>
  lang === 'en' ? `/en/requests/${ref}/section-32` : `/fr/demandes-d-occasion/${ref}/article-32`;
const cancelPath = (ref: string) => `/en/requests/${ref}/cancel`;
const releasePath = (ref: string) => `/en/requests/${ref}/release-funds`;

const opportunity = (id: number) => database.db('opportunities').where({ id }).first();
const eventsOf = (id: number) =>
  database.db('events').where({ entity_type: 'opportunity', entity_id: id }).orderBy('id');
const outboxOf = (template: string): Promise<OutboxRow[]> =>
  database.db('outbox').where({ template }).orderBy('id');
const reservationsOf = (id: number) =>
  database.db('fund_reservations').where({ opportunity_id: id });
const version = async (id: number) => String((await opportunity(id)).version);

/** Each term of the page's description lists and its description (the first, if repeated). */
function facts(html: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const dt of parse(html).querySelectorAll('dt')) {
    // Collapses layout whitespace only: French amounts keep their no-break spaces.
    const text = (s: string) => s.replace(/[ \t\r\n]+/g, ' ').trim();
    found[text(dt.text)] ??= text(dt.nextElementSibling?.text ?? '');
  }
  return found;
}

/** The text of the error summary, or '' when the page has none. */
const errorSummary = (html: string) =>
  parse(html).querySelector('.error-summary')?.text.replace(/\s+/g, ' ') ?? '';

async function currentUser(name: string): Promise<CurrentUser> {
  return {
    id: ids[name]!,
    email: `${name}@example.gc.ca`,
    kind: 'staff',
    displayName: name,
    language: 'en',
    grants: await activeGrants(database.db, ids[name]!),
  };
}

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  esdc = await insertDepartment(database.db);
  tbs = await insertDepartment(database.db, { en: 'TBS', fr: 'SCT' });
  await insertStaff('client', [{ role: 'client', department: esdc }]);
  await insertStaff('colleague', [{ role: 'client', department: esdc }]);
  await insertStaff('officer', [{ role: 'program_officer', department: esdc }]);
  await insertStaff('agente', [{ role: 'program_officer', department: esdc }], 'fr');
  // A program officer who also requests purchases: never approves their own splitting.
  await insertStaff('officer-client', [
    { role: 'program_officer', department: esdc },
    { role: 'client', department: esdc },
  ]);
  await insertStaff('low-limit', [
    { role: 'section32_manager', department: esdc, limitCents: 500_000 },
  ]);
  await insertStaff('manager', [
    { role: 'section32_manager', department: esdc, limitCents: 1_000_000 },
  ]);
  // A section 32 manager who is also a client: never approves their own request.
  await insertStaff('manager-client', [
    { role: 'section32_manager', department: esdc, limitCents: 1_000_000 },
    { role: 'client', department: esdc },
  ]);
  await insertStaff('finance', [{ role: 'finance_officer', department: esdc }]);
  await insertStaff('tbs-client', [{ role: 'client', department: tbs }]);
  await insertStaff('tbs-officer', [{ role: 'program_officer', department: tbs }]);
  await insertStaff('tbs-manager', [
    { role: 'section32_manager', department: tbs, limitCents: 1_000_000 },
  ]);
  await insertStaff('tbs-finance', [{ role: 'finance_officer', department: tbs }]);
});

afterAll(async () => {
  await database.drop();
});

describe('screening by the program team', () => {
  it('shows the request to the program officer with money, coding, history and the screening form', async () => {
    const { reference } = await insertRequest('submitted', 'client');
    const res = await (await as('officer')).client.get(requestPath(reference)).expect(200);
    const page = parse(res.text);
    expect(page.querySelector('h1')?.text).toContain(reference);
    expect(page.querySelector('.tag')?.text).toBe('Submitted');
    expect(facts(res.text)).toMatchObject({
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
    const history = page.querySelectorAll('#history + table tbody tr');
    expect(history).toHaveLength(1);
    expect(history[0]?.text).toContain('Submitted');
    expect(history[0]?.text).toContain('November 20, 2026');
    expect(page.querySelector(`form[action="${screenPath(reference)}"]`)).not.toBeNull();
    expect(page.querySelector('input[name="version"]')?.getAttribute('value')).toBe('1');
  });

  it('accepts a request and asks the department’s section 32 managers, not another department’s', async () => {
    const { id, reference } = await insertRequest('submitted', 'client');
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
    // Its own cost centre and repository: with the many requests this file makes on 100234, a
    // resubmission would otherwise need a contract-splitting justification.
    await database
      .db('departments')
      .where({ id: esdc })
      .update({ cost_centres: database.db.raw(`array_append(cost_centres, 'RT-1')`) });
    const { id, reference } = await insertRequest('submitted', 'client', {
      columns: {
        cost_centre: 'RT-1',
        repository_url: 'https://github.com/canada-ca/returned-request',
      },
    });
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
    const rendered = t.deps.emailRenderer.render(email!.template, email!.language, email!.data);
    expect(rendered.text).toContain('Comments from the program team');
    expect(rendered.text).toContain(first);
    expect(rendered.subject).toContain(reference);

    // The client changes it and submits again; the program team returns it a second time.
    const actor = await currentUser('client');
    const expectedVersion = Number(await version(id));
    await database.db.transaction((trx) =>
      transition(trx, opportunityMachine, {
        now: t.clock.now(),
        id,
        action: 'submit',
        actor,
        expectedVersion,
      }),
    );
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

    // A colleague of the same department may look, but the form is the requester's.
    const colleague = await as('colleague');
    const seen = parse((await colleague.client.get(requestPath(reference)).expect(200)).text);
    expect(seen.querySelector(`a[href="/en/requests/${reference}/step/1"]`)).toBeNull();
    expect(seen.text).toContain(second);
  });

  it('declines a request and emails the requester the reason', async () => {
    const { id, reference } = await insertRequest('submitted', 'client');
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
    const rendered = t.deps.emailRenderer.render('request-declined', null, emails[0]!.data);
    expect(rendered.text).toContain(reason);
    expect(rendered.text).toContain('Votre demande d’occasion a été refusée');
  });

  it('needs a second person to approve a contract-splitting justification, never the requester', async () => {
    const { id, reference } = await insertRequest('submitted', 'officer-client', {
      columns: {
        splitting_justification: 'A separate need from MA-2025-0040: another team and budget.',
        splitting_related: JSON.stringify({
          related: [
            {
              reference: 'MA-2025-0040',
              title: { en: 'Earlier validator work', fr: 'Travaux antérieurs' },
              status: 'paid',
              maxTotalCents: 500_000,
              sameCostCentre: true,
              sameRepository: false,
            },
          ],
          totalCents: 1_247_500,
          exceedsCap: true,
        }),
      },
    });
    const requester = await as('officer-client');
    const page = parse((await requester.client.get(requestPath(reference)).expect(200)).text);
    expect(page.text).toContain('MA-2025-0040');
    expect(page.text).toContain('$12,475.00');
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
    expect((await eventsOf(id)).map((e) => e.action)).toEqual(['submit']);

    const approved = await officer.post(
      screenPath(reference),
      { decision: 'accept', approveSplitting: 'yes', version: await version(id) },
      requestPath(reference),
    );
    expect(approved.status).toBe(303);
    const row = await opportunity(id);
    expect(row.status).toBe('screened');
    expect(row.splitting_approved_by).toBe(ids.officer);
    expect(row.splitting_approved_at.toISOString()).toBe(t.clock.now().toISOString());
    expect((await eventsOf(id)).map((e) => [e.action, e.actor_id])).toEqual([
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
    const token = 'p'.repeat(43);
    const translated = await insertRequest('translated', 'client', {
      columns: {
        preview_token: token,
        translation_requested_at: '2026-11-21T14:00:00Z',
        translation_received_at: '2026-11-22T19:30:00Z',
      },
    });
    const previewLink = `a[href="/en/preview/${token}"]`;
    const client = parse(
      (await (await as('client')).client.get(requestPath(translated.reference)).expect(200)).text,
    );
    expect(client.querySelector(previewLink)).not.toBeNull();
    // The requester's next step: approving the preview, linked from "What you can do".
    expect(client.querySelector(`#actions + ul ${previewLink}`)?.text).toBe(
      'Check the preview and approve it',
    );
    expect(facts(client.outerHTML)).toMatchObject({
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

    const approved = await insertRequest('funds_approved', 'client');
    const ready = await insertRequest('ready', 'client');
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

describe('section 32 approval', () => {
  const attestation =
    'Under section 32 of the Financial Administration Act, I confirm that there is a sufficient unencumbered balance available in the appropriation to cover this commitment of $7,475.00 including taxes.';

  it('shows the amount including tax, the coding, the manager’s limit and the wording', async () => {
    const { reference } = await insertRequest('screened', 'client');
    const res = await (await as('low-limit')).client.get(section32Path(reference)).expect(200);
    expect(facts(res.text)).toMatchObject({
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
    const { id, reference } = await insertRequest('screened', 'client');
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
    const { id, reference } = await insertRequest('screened', 'manager-client');
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
    const { id, reference } = await insertRequest('screened', 'client');
    const manager = await as('manager');
    const res = await manager.post(section32Path(reference), {
      reservationNumber: 'FR 2026 / 7',
      version: await version(id),
    });
    expect(res.status).toBe(400);
    const summary = errorSummary(res.text);
    expect(summary).toContain('Enter a fund reservation number of 30 letters, digits or hyphens');
    expect(summary).toContain('Check the box to make the section 32 attestation.');
    expect(
      (await manager.post(section32Path(reference), { attest: 'yes', version: '1' })).status,
    ).toBe(400);
    expect(await reservationsOf(id)).toHaveLength(0);
  });

  it('records the reservation with who, limit, amount, coding and wording; a second click is stale', async () => {
    const { id, reference } = await insertRequest('screened', 'client');
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
      department_id: esdc,
      reservation_number: 'FR-2026-004512',
      amount_cents: 747_500,
      cost_centre: '100234',
      fund: '1000',
      gl_account: '52202',
      delegated_limit_cents: 1_000_000,
      attestation,
      approved_by: ids.manager,
    });
    expect(reservation.approved_at.toISOString()).toBe(t.clock.now().toISOString());
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
    expect(facts(shown)).toMatchObject({
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
    const { id, reference } = await insertRequest('screened', 'client');
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

describe('cancellation', () => {
  it('cancels with a reason, asks section 32 managers and finance to release the funds, and records the release', async () => {
    const { id, reference } = await insertRequest('screened', 'client');
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
    expect(reservation.release_requested_at.toISOString()).toBe(t.clock.now().toISOString());
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
    expect(after.released_at.toISOString()).toBe(t.clock.now().toISOString());
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
    const { id, reference } = await insertRequest('submitted', 'client');
    const res = await (
      await as('colleague')
    ).post(cancelPath(reference), {
      reason: 'I think this duplicates my own request.',
      confirm: 'yes',
      version: await version(id),
    });
    expect(res.status).toBe(409);
    expect(errorSummary(res.text)).toContain(
      'Only the client who requested this opportunity can take this step.',
    );
    expect((await opportunity(id)).status).toBe('submitted');
  });

  it('cancels a request without reserved funds without asking anyone to release them', async () => {
    const { id, reference } = await insertRequest('submitted', 'client');
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
  /** The references listed under a queue's heading, in order. */
  function listed(html: string, id: string): string[] {
    const heading = parse(html).querySelector(`#${id}`);
    expect(heading, id).not.toBeNull();
    const next = heading!.nextElementSibling;
    return next?.tagName === 'TABLE'
      ? next.querySelectorAll('tbody th a').map((a) => a.text.trim())
      : [];
  }

  it('lists each role’s work in its own departments only, oldest first', async () => {
    const dept = { department: tbs };
    const newer = await insertRequest('submitted', 'tbs-client', {
      ...dept,
      submittedAt: '2026-11-22T15:00:00Z',
    });
    const older = await insertRequest('submitted', 'tbs-client', dept);
    const screened = await insertRequest('screened', 'tbs-client', dept);
    // The manager's own request waits for another manager: it is not in their queue.
    await insertRequest('screened', 'tbs-manager', dept);
    const approved = await insertRequest('funds_approved', 'tbs-client', dept);
    const ready = await insertRequest('ready', 'tbs-client', dept);
    const translated = await insertRequest('translated', 'tbs-client', dept);
    const returned = await insertRequest('draft', 'tbs-client', dept);
    await database.db('events').insert({
      entity_type: 'opportunity',
      entity_id: returned.id,
      action: 'return_to_client',
      from_state: 'submitted',
      to_state: 'draft',
      actor_id: ids['tbs-officer'],
      reason: 'Add a criterion.',
      at: '2026-11-21T15:00:00Z',
    });
    // A draft never returned is not waiting for the client's changes.
    await insertRequest('draft', 'tbs-client', dept);
    const cancelled = await insertRequest('cancelled', 'tbs-client', dept);
    await database.db('fund_reservations').insert({
      opportunity_id: cancelled.id,
      department_id: tbs,
      reservation_number: 'TBS-1',
      amount_cents: 747_500,
      cost_centre: '100234',
      fund: '1000',
      gl_account: '52202',
      delegated_limit_cents: 1_000_000,
      attestation: 'Attested.',
      approved_by: ids['tbs-manager'],
      approved_at: '2026-11-19T15:00:00Z',
      release_requested_at: '2026-11-20T15:00:00Z',
    });

    const officer = (await (await as('tbs-officer')).client.get('/en/work-queues').expect(200))
      .text;
    expect(listed(officer, 'program_officer-toScreen')).toEqual([older.reference, newer.reference]);
    expect(listed(officer, 'program_officer-toTranslate')).toEqual([approved.reference]);
    expect(listed(officer, 'program_officer-toPublish')).toEqual([ready.reference]);
    expect(parse(officer).querySelector('#section32_manager-toApprove')).toBeNull();
    const row = parse(officer).querySelector('#program_officer-toScreen + table tbody tr')!;
    const cells = row.text.replace(/\s+/g, ' ');
    expect(cells).toContain('TBS');
    expect(cells).toContain('$7,475.00');
    expect(cells).toContain('November 20, 2026 (3 days)');

    const manager = (await (await as('tbs-manager')).client.get('/en/work-queues').expect(200))
      .text;
    expect(listed(manager, 'section32_manager-toApprove')).toEqual([screened.reference]);
    expect(listed(manager, 'section32_manager-fundsToRelease')).toEqual([cancelled.reference]);

    const finance = (await (await as('tbs-finance')).client.get('/en/work-queues').expect(200))
      .text;
    expect(listed(finance, 'finance_officer-fundsToRelease')).toEqual([cancelled.reference]);

    const client = (await (await as('tbs-client')).client.get('/en/work-queues').expect(200)).text;
    expect(listed(client, 'client-returned')).toEqual([returned.reference]);
    expect(listed(client, 'client-previews')).toEqual([translated.reference]);
    expect(parse(client).querySelector('#program_officer-toScreen')).toBeNull();

    // Nothing of ESDC's, where many requests wait in every state by now.
    const esdcReferences: string[] = await database
      .db('opportunities')
      .where({ department_id: esdc })
      .pluck('reference');
    for (const html of [officer, manager, finance, client]) {
      for (const reference of esdcReferences) expect(html).not.toContain(reference);
    }
  });

  it('says so when a queue is empty, and links staff to their queues from the header', async () => {
    const finance = await as('finance');
    const res = await finance.client.get('/en/work-queues').expect(200);
    expect(listed(res.text, 'finance_officer-fundsToRelease')).toEqual([]);
    expect(res.text).toContain('No reserved funds are waiting to be released.');
    const header = parse(res.text).querySelector('.site-menu a[href="/en/work-queues"]');
    expect(header?.text).toBe('Needs attention');
  });
});

describe('in French', () => {
  it('renders every page with no missing key, and French messages on refusal', async () => {
    const { id, reference } = await insertRequest('submitted', 'client');
    const agente = await as('agente');
    const page = await agente.client.get(requestPath(reference, 'fr')).expect(200);
    expect(facts(page.text)).toMatchObject({
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

    const screened = await insertRequest('screened', 'client');
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
    expect(t.missingKeys).toEqual([]);
  });
});

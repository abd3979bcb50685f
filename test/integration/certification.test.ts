import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { certifyInvoice } from '../../src/certification/service.ts';
import { submitInvoice } from '../../src/invoices/service.ts';
import { easternDate, formatCalendarDate } from '../../src/platform/dates.ts';
import { url } from '../../src/platform/routes.ts';
import {
  certificationWorld,
  errorMessages,
  evidenceUrl,
  shownVersion,
  shownWording,
} from '../helpers/certification-world.ts';
import { anAcceptedContract, aSubmittedInvoice } from '../helpers/contract-world.ts';
import { emailsTo } from '../helpers/offers-world.ts';
import { currentUserOf } from '../helpers/scenario-people.ts';

const w = certificationWorld();
const queueUrl = (lang: 'en' | 'fr' = 'en') => url('certificationQueue', {}, lang);

async function certify(ref: string, lang: 'en' | 'fr' = 'en', as: 'certifier' = 'certifier') {
  const a = await w.as(as, lang);
  const page = await a.client.get(evidenceUrl(ref, lang)).expect(200);
  const res = await a.post(
    url('certifyInvoice', { ref }, lang),
    { attest: 'yes', version: shownVersion(page.text) },
    evidenceUrl(ref, lang),
  );
  return { page, res };
}

describe('the section 34 queue', () => {
  it('lists the submitted invoices of the manager’s departments, oldest first, with age, due date and overdue flag', async () => {
    const first = await aSubmittedInvoice(w.t);
    w.t.clock.set(new Date(w.t.clock.now().getTime() + 2 * 86_400_000));
    const second = await aSubmittedInvoice(w.t);
    const a = await w.as('certifier');
    const res = await a.client.get(queueUrl()).expect(200);
    const rows = parse(res.text).querySelectorAll('#invoices ~ table tbody tr');
    const refs = rows.map((r) => r.querySelector('th')!.text.trim());
    expect(refs.indexOf(first.s.reference)).toBeLessThan(refs.indexOf(second.s.reference));
    const firstRow = rows[refs.indexOf(first.s.reference)]!;
    const invoice = await w.database
      .db('invoices')
      .where({ id: first.invoiceId })
      .first('received_at', 'payment_due_on');
    const days = Math.floor(
      (w.t.clock.now().getTime() - new Date(invoice.received_at).getTime()) / 86_400_000,
    );
    expect(days).toBeGreaterThanOrEqual(2);
    expect(firstRow.text).toContain(`${days} days`);
    const due = formatCalendarDate(invoice.payment_due_on, 'en');
    expect(firstRow.text).toContain(due);
    expect(firstRow.text).not.toContain('Overdue');

    // Past the due date, the queue says so, in French too .
    const now = w.t.clock.now();
    w.t.clock.set(new Date(`${invoice.payment_due_on}T23:00:00Z`));
    w.t.clock.set(new Date(w.t.clock.now().getTime() + 86_400_000));
    const late = await (await w.as('certifier', 'fr')).client.get(queueUrl('fr')).expect(200);
    expect(late.text).toContain('En retard');
    expect(late.text).toContain(formatCalendarDate(invoice.payment_due_on, 'fr'));
    w.t.clock.set(now);
  });

  it('is the section 34 managers’ only: another department’s sees none of it, other staff are refused', async () => {
    const file = await aSubmittedInvoice(w.t);
    const outsider = await w.as('outsider');
    const theirs = await outsider.client.get(queueUrl()).expect(200);
    expect(theirs.text).not.toContain(file.s.reference);
    // The evidence page of another department's file does not exist for them.
    await outsider.client.get(evidenceUrl(file.s.reference)).expect(404);
    // Staff of the department without section 34 authority are refused both pages.
    const finance = await w.as('finance');
    await finance.client.get(queueUrl()).expect(403);
    await finance.client.get(evidenceUrl(file.s.reference)).expect(403);
    const supplier = await w.as({ email: file.supplier.email });
    await supplier.client.get(queueUrl()).expect(403);
    await supplier.client.get(evidenceUrl(file.s.reference)).expect(404);
  });
});

describe('the evidence page', () => {
  it('gathers the section 32 record, the terms version, the acceptance checklist and the invoice with its taxes', async () => {
    const file = await aSubmittedInvoice(w.t);
    const res = await (
      await w.as('certifier')
    ).client
      .get(evidenceUrl(file.s.reference))
      .expect(200);
    const text = parse(res.text).text;
    for (const shown of [
      `FR-${file.s.reference}`, // the reservation number, on the section 32 record and the invoice
      '$7,345.00', // reserved: the price and the highest tax
      '52202', // the general ledger account
      'manager32 person', // the approver
      'Version of the terms',
      'All tests pass', // the work acceptance criterion
      'Met', // as the client judged it in the review that accepted the work
      '/pull/1', // the delivered pull request
      'The pull request meets every work acceptance criterion.',
      'Work delivered',
      'Work accepted',
      `${file.s.reference}-1`, // the invoice number
      '$6,500.00',
      'HST (13%)',
      '$845.00',
      '$7,345.00',
      '123456789RT0001',
      'Ontario',
    ]) {
      expect(text, shown).toContain(shown);
    }
    expect(w.t.missingKeys).toEqual([]);
  });

  it('shows the CI check’s result the client’s review recorded on the delivered pull request', async () => {
    const file = await aSubmittedInvoice(w.t);
    const { db } = w.database;
    const criterion = await db('acceptance_criteria')
      .where({ opportunity_id: file.s.id })
      .first('id');
    await db('acceptance_criteria').where({ id: criterion.id }).update({ ci_check: 'unit-tests' });
    const pullRequest = 'https://github.com/canada-ca/form-validator/pull/1';
    await db('delivery_review_criteria')
      .where({ acceptance_criterion_id: criterion.id })
      .update({
        ci_evidence: JSON.stringify([
          {
            state: 'passing',
            pullRequest,
            href: 'https://github.com/canada-ca/form-validator/runs/7',
          },
        ]),
      });
    const res = await (
      await w.as('certifier')
    ).client
      .get(evidenceUrl(file.s.reference))
      .expect(200);
    const item = parse(res.text).querySelector('ol.checklist li')!;
    expect(item.text).toContain('The check “unit-tests” passed');
    expect(item.querySelector(`a[href="${pullRequest}"]`)).not.toBeNull();
  });

  it('does not exist before the invoice: nothing to certify for accepted work not yet invoiced', async () => {
    const file = await anAcceptedContract(w.t);
    const a = await w.as('certifier');
    await a.client.get(evidenceUrl(file.s.reference)).expect(404);
    const csrfFrom = queueUrl();
    const res = await a.post(
      url('certifyInvoice', { ref: file.s.reference }, 'en'),
      { attest: 'yes', version: '1' },
      csrfFrom,
    );
    expect(res.status).toBe(404);
    expect(
      await w.database.db('invoice_certifications').where({ opportunity_id: file.s.id }),
    ).toEqual([]);
  });
});

describe('certifying', () => {
  for (const lang of ['en', 'fr'] as const) {
    it(`stores the wording shown on the ${lang} page word for word, with its language and the evidence`, async () => {
      const file = await aSubmittedInvoice(w.t);
      const { page, res } = await certify(file.s.reference, lang);
      expect(res.status).toBe(303);
      const shown = shownWording(page.text)!;
      expect(shown).toContain(
        lang === 'en'
          ? 'section 34 of the Financial Administration Act'
          : 'article 34 de la Loi sur la gestion des finances publiques',
      );
      const { db } = w.database;
      const stored = await db('invoice_certifications')
        .where({ invoice_id: file.invoiceId })
        .first();
      expect(stored.wording).toBe(shown);
      expect(stored.wording_lang).toBe(lang);
      expect(Number(stored.certified_by)).toBe(w.ids.certifier);
      expect(stored.evidence.section32.reservationNumber).toBe(`FR-${file.s.reference}`);
      expect(stored.evidence.invoice.totalCents).toBe(734_500);
      const invoice = await db('invoices').where({ id: file.invoiceId }).first('status');
      expect(invoice.status).toBe('certified');
      const event = await db('events')
        .where({ entity_type: 'invoice', entity_id: file.invoiceId, action: 'certify' })
        .first();
      expect(event.duty).toBe('certify');

      // Finance has a payment to make; the supplier learns it is certified and when it is due.
      const ours = (rows: { data: Record<string, unknown> }[]) =>
        rows.filter((row) => row.data.reference === file.s.reference);
      expect(ours(await emailsTo(w.t, w.emails.finance, 'payment-to-make'))).toHaveLength(1);
      const told = await emailsTo(w.t, file.supplier.email, 'invoice-certified');
      expect(told).toHaveLength(1);
      // The page now shows the record, in the language it was made in.
      const after = await (
        await w.as('certifier', lang)
      ).client.get(evidenceUrl(file.s.reference, lang));
      expect(parse(after.text).querySelector('blockquote')?.getAttribute('lang')).toBe(lang);
    });
  }

  it('refuses a second certification, a second click or a stale page, with a clear message and no second record', async () => {
    const file = await aSubmittedInvoice(w.t);
    const { page } = await certify(file.s.reference);
    const a = await w.as('certifier');
    // The same page again: its version is gone.
    const again = await a.post(
      url('certifyInvoice', { ref: file.s.reference }, 'en'),
      { attest: 'yes', version: shownVersion(page.text) },
      evidenceUrl(file.s.reference),
    );
    expect(again.status).toBe(409);
    expect(errorMessages(again.text).join(' ')).toContain('Reload the page');
    // The current version, but it is certified already: the state says so.
    const { version } = await w.database
      .db('invoices')
      .where({ id: file.invoiceId })
      .first('version');
    const second = await a.post(
      url('certifyInvoice', { ref: file.s.reference }, 'fr'),
      { attest: 'yes', version: String(version) },
      evidenceUrl(file.s.reference),
    );
    expect(second.status).toBe(409);
    expect(errorMessages(second.text).join(' ')).toContain('«\u00a0Attestée (article 34)\u00a0»');
    expect(
      await w.database.db('invoice_certifications').where({ invoice_id: file.invoiceId }),
    ).toHaveLength(1);
  });

  it('certifies once when ten certifications of one invoice arrive together', async () => {
    const file = await aSubmittedInvoice(w.t);
    const { db } = w.database;
    const certifier = await currentUserOf(db, w.ids.certifier);
    const { version } = await db('invoices').where({ id: file.invoiceId }).first('version');
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () =>
        certifyInvoice(
          w.t.deps,
          certifier,
          file.s.reference,
          { attest: 'yes', version },
          { lang: 'en', t: w.t.deps.translator.t('en') },
        ),
      ),
    );
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    const refused = outcomes.flatMap((o) => (o.ok ? [] : [o.failure.kind]));
    expect(new Set(refused)).toEqual(new Set(['stale']));
    expect(await db('invoice_certifications').where({ invoice_id: file.invoiceId })).toHaveLength(
      1,
    );
    const events = await db('events').where({
      entity_type: 'invoice',
      entity_id: file.invoiceId,
      action: 'certify',
    });
    expect(events).toHaveLength(1);
  });

  it('asks for the box to be checked, and keeps the page', async () => {
    const file = await aSubmittedInvoice(w.t);
    const a = await w.as('certifier', 'fr');
    const page = await a.client.get(evidenceUrl(file.s.reference, 'fr'));
    const res = await a.post(
      url('certifyInvoice', { ref: file.s.reference }, 'fr'),
      { version: shownVersion(page.text) },
      evidenceUrl(file.s.reference, 'fr'),
    );
    expect(res.status).toBe(400);
    expect(errorMessages(res.text)).toEqual([
      'Cochez la case pour attester la facture en vertu de l’article 34.',
    ]);
  });
});

describe('returning the invoice', () => {
  it('needs a reason, tells the supplier why, and the resubmitted invoice is certified', async () => {
    const file = await aSubmittedInvoice(w.t);
    const a = await w.as('certifier');
    const ref = file.s.reference;
    const page = await a.client.get(evidenceUrl(ref));
    const empty = await a.post(
      url('returnInvoice', { ref }, 'en'),
      { reason: ' ', version: shownVersion(page.text) },
      evidenceUrl(ref),
    );
    expect(empty.status).toBe(400);
    expect(errorMessages(empty.text)).toEqual([
      'Enter the reason for returning the invoice to the supplier.',
    ]);
    const reason = 'The invoice names the wrong province for the supplier.';
    const res = await a.post(
      url('returnInvoice', { ref }, 'en'),
      { reason, version: shownVersion(page.text) },
      evidenceUrl(ref),
    );
    expect(res.status).toBe(303);
    const { db } = w.database;
    const returned = await db('invoices').where({ id: file.invoiceId }).first('status', 'version');
    expect(returned.status).toBe('returned');
    const told = await emailsTo(w.t, file.supplier.email, 'invoice-returned');
    expect(told).toHaveLength(1);
    expect(JSON.stringify(told[0])).toContain(reason);
    // Not in the queue while the supplier corrects it.
    expect((await a.client.get(queueUrl())).text).not.toContain(ref);

    // The supplier corrects it and submits it again, through the invoice feature's own step.
    await db.transaction((trx) =>
      submitInvoice(trx, file.supplier, {
        contractId: file.contractId,
        invoiceNumber: `${ref}-2`,
        invoiceDate: easternDate(w.t.clock.now()),
        version: returned.version,
        now: w.t.clock.now(),
      }),
    );
    expect((await a.client.get(queueUrl())).text).toContain(ref);
    const { page: corrected, res: certified } = await certify(ref);
    expect(shownWording(corrected.text)).toContain(`invoice ${ref}-2 from`);
    expect(certified.status).toBe(303);
  });
});

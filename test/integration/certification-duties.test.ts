import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { url } from '../../src/platform/routes.ts';
import {
  certificationWorld,
  errorMessages,
  evidenceUrl,
  shownVersion,
} from '../helpers/certification-world.ts';
import { aSubmittedInvoice } from '../helpers/contract-world.ts';
import type { SignedIn } from '../helpers/people.ts';

/**
 * Segregation of duties at section 34 (DOMAIN.md): the requester and the evaluator may not
 * certify the work they asked for and judged, unless a second section 34 manager confirms an
 * override; the person the payment benefits never may.
 */
const w = certificationWorld();

async function grantSection34(userId: number) {
  await w.database.db('role_grants').insert({
    user_id: userId,
    role: 'section34_manager',
    department_id: w.departmentId,
  });
}

async function tryToCertify(a: SignedIn, ref: string, lang: 'en' | 'fr' = 'en') {
  const page = await a.client.get(evidenceUrl(ref, lang)).expect(200);
  return a.post(
    url('certifyInvoice', { ref }, lang),
    { attest: 'yes', version: shownVersion(page.text) },
    evidenceUrl(ref, lang),
  );
}

describe('the requester, who also evaluated', () => {
  it('is refused with the reasons, asks for an override, and certifies once a second manager confirms it', async () => {
    await grantSection34(w.ids.client);
    const file = await aSubmittedInvoice(w.t);
    const ref = file.s.reference;
    const client = await w.as('client');

    const page = await client.client.get(evidenceUrl(ref)).expect(200);
    const html = parse(page.text);
    expect(html.querySelector('label[for="attest"]')).toBeNull();
    expect(html.querySelector('#override')).not.toBeNull();

    const refused = await tryToCertify(client, ref);
    expect(refused.status).toBe(409);
    expect(errorMessages(refused.text)).toEqual([
      'You requested this opportunity, so another person must do this step.',
      'You evaluated the applications for this opportunity, so another person must do this step.',
    ]);
    // The French page says it in French.
    const french = await tryToCertify(await w.as('client', 'fr'), ref, 'fr');
    expect(errorMessages(french.text)[0]).toBe(
      'Vous avez demandé cette occasion\u00a0: une autre personne doit effectuer cette étape.',
    );

    const overrideUrl = url('certificationOverride', { ref }, 'en');
    const short = await client.post(
      overrideUrl,
      { overrideReason: 'Small team.', version: shownVersion(page.text) },
      evidenceUrl(ref),
    );
    expect(short.status).toBe(400);
    expect(errorMessages(short.text)).toEqual([
      'Explain the reason for the override in at least 20 characters.',
    ]);
    const reason = 'The other section 34 manager of the unit is on leave until January.';
    const asked = await client.post(
      overrideUrl,
      { overrideReason: reason, version: shownVersion(page.text) },
      evidenceUrl(ref),
    );
    expect(asked.status).toBe(303);
    const { db } = w.database;
    const override = await db('segregation_overrides')
      .where({ entity_type: 'invoice', entity_id: file.invoiceId, action: 'certify' })
      .first();
    expect(override.reason).toBe(reason);

    // The second section 34 manager finds it in their queue and confirms it.
    const second = await w.as('certifier');
    const queue = await second.client.get(url('certificationQueue', {}, 'en')).expect(200);
    const confirmUrl = url('confirmOverride', { ref, override: override.id }, 'en');
    expect(queue.text).toContain(confirmUrl);
    await second.client.get(confirmUrl).expect(200);
    const confirmed = await second.post(confirmUrl, {});
    expect(confirmed.status).toBe(303);

    const again = await client.client.get(evidenceUrl(ref)).expect(200);
    expect(parse(again.text).querySelector('label[for="attest"]')).not.toBeNull();
    const certified = await tryToCertify(client, ref);
    expect(certified.status).toBe(303);
    const event = await db('events')
      .where({ entity_type: 'invoice', entity_id: file.invoiceId, action: 'certify' })
      .first();
    expect(Number(event.actor_id)).toBe(w.ids.client);
    expect(event.payload.override).toMatchObject({
      proposedBy: w.ids.client,
      confirmedBy: w.ids.certifier,
      reason,
    });
    const stored = await db('invoice_certifications').where({ invoice_id: file.invoiceId }).first();
    expect(Number(stored.certified_by)).toBe(w.ids.client);
  });
});

describe('the supplier the payment benefits', () => {
  it('never certifies their own invoice, and no override can let them', async () => {
    const file = await aSubmittedInvoice(w.t);
    const ref = file.s.reference;
    await grantSection34(file.supplier.id);
    const supplier = await w.as({ email: file.supplier.email });
    const page = await supplier.client.get(evidenceUrl(ref)).expect(200);
    const html = parse(page.text);
    expect(html.querySelector('label[for="attest"]')).toBeNull();
    expect(html.querySelector('#override')).toBeNull();
    expect(html.text).toContain(
      'This conflict cannot be overridden under the Financial Administration Act.',
    );

    const refused = await tryToCertify(supplier, ref);
    expect(refused.status).toBe(409);
    expect(errorMessages(refused.text)).toEqual([
      'You cannot approve, certify or pay a transaction that benefits you.',
    ]);
    const override = await supplier.post(
      url('certificationOverride', { ref }, 'en'),
      {
        overrideReason: 'Nobody else in the department can certify this invoice.',
        version: shownVersion(page.text),
      },
      evidenceUrl(ref),
    );
    expect(override.status).toBe(409);
    expect(errorMessages(override.text)).toContain(
      'This conflict cannot be overridden under the Financial Administration Act.',
    );
    const { db } = w.database;
    expect(await db('segregation_overrides').where({ entity_id: file.invoiceId })).toEqual([]);
    expect(await db('invoice_certifications').where({ invoice_id: file.invoiceId })).toEqual([]);
  });
});

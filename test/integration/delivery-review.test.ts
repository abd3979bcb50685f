import { parse } from 'node-html-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { aDeliveryWorld, postDelivery, postReview, pullOn } from '../helpers/delivery-world.ts';
import { emailsTo } from '../helpers/offers-world.ts';

let database: TestDatabase;
let t: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
});

afterAll(async () => {
  await database.drop();
});

const later = (hours: number) => t.clock.set(new Date(t.clock.now().getTime() + hours * 3_600_000));

const contractStatus = async (id: number) =>
  (await database.db('contracts').where({ id }).first('status')).status;

describe('delivery and acceptance (issue 12, item 2)', () => {
  it('delivers, asks for revisions with the list of what is missing, delivers again, accepts', async () => {
    const w = await aDeliveryWorld(t);
    const [criterion] = w.criterionIds;
    const supplier = await w.supplierBrowser();
    // The contract page leads each side to its step.
    const contractPage = await supplier.client.get(url('contract', { id: w.contractId }, 'en'));
    expect(contractPage.text).toContain(
      `href="${url('contractDelivery', { id: w.contractId }, 'en')}"`,
    );
    const first = await postDelivery(supplier, w.contractId, {
      pullRequests: pullOn(w.repositoryUrl, 12),
      notes: 'Run npm test to check the validator.',
    });
    expect(first.status).toBe(303);
    expect(await contractStatus(w.contractId)).toBe('delivered');

    // The client is told, with the last day to report a problem; the supplier is acknowledged.
    const [received] = await emailsTo(t, w.client.email, 'delivery-received');
    expect(received!.data).toMatchObject({
      round: 1,
      reportBy: { en: expect.stringMatching(/2026$/), fr: expect.stringMatching(/2026$/) },
      links: [pullOn(w.repositoryUrl, 12)],
    });
    expect(await emailsTo(t, w.supplier.email, 'delivery-acknowledged')).toHaveLength(1);

    // The review page reminds the client of the 15 days, with the date.
    later(2);
    const client = await w.clientBrowser();
    expect((await client.client.get(url('contract', { id: w.contractId }, 'en'))).text).toContain(
      `href="${url('contractReview', { id: w.contractId }, 'en')}"`,
    );
    const review = await client.client.get(url('contractReview', { id: w.contractId }, 'en'));
    expect(review.status).toBe(200);
    expect(review.text).toContain('must be reported to the supplier within 15 days of delivery');
    expect(review.text).toContain(
      String(received!.data.reportBy && (received!.data.reportBy as { en: string }).en),
    );
    expect(review.text).toContain('Run npm test to check the validator.');

    const revisions = await postReview(client, w.contractId, {
      decision: 'revisions',
      judgements: [{ id: criterion!, met: 'no', comment: 'Two tests fail on Firefox.' }],
      reason: 'Please also update the README.',
    });
    expect(revisions.status).toBe(303);
    expect(await contractStatus(w.contractId)).toBe('in_progress');
    const [asked] = await emailsTo(t, w.supplier.email, 'revisions-requested');
    expect(asked!.data).toMatchObject({
      round: 1,
      reason: 'Please also update the README.',
      missing: [
        { position: 1, text: { en: 'All tests pass' }, comment: 'Two tests fail on Firefox.' },
      ],
    });
    const event = await database
      .db('events')
      .where({ entity_type: 'contract', entity_id: w.contractId, action: 'request_revisions' })
      .first('reason', 'reason_lang');
    expect(event.reason).toBe(
      '1. All tests pass — Two tests fail on Firefox.\nPlease also update the README.',
    );
    // The supplier reads what is missing on the delivery page, and delivers round 2.
    later(24);
    const supplierAgain = await w.supplierBrowser();
    const again = await supplierAgain.client.get(
      url('contractDelivery', { id: w.contractId }, 'en'),
    );
    expect(again.text).toContain('The client asked for revisions');
    expect(again.text).toContain('Two tests fail on Firefox.');
    const second = await postDelivery(supplierAgain, w.contractId, {
      pullRequests: pullOn(w.repositoryUrl, 12),
      commits: `${w.repositoryUrl}/commit/${'b'.repeat(40)}`,
    });
    expect(second.status).toBe(303);

    later(2);
    const accepted = await postReview(await w.clientBrowser(), w.contractId, {
      decision: 'accept',
      judgements: [{ id: criterion!, met: 'yes', comment: 'All green now.' }],
    });
    expect(accepted.status).toBe(303);
    expect(await contractStatus(w.contractId)).toBe('accepted');
    const [done] = await emailsTo(t, w.supplier.email, 'work-accepted');
    expect(done!.data).toMatchObject({
      round: 2,
      link: { en: url('invoice', { id: w.contractId }, 'en') },
    });
    const rounds = await database
      .db('deliveries as d')
      .join('delivery_reviews as r', 'r.delivery_id', 'd.id')
      .where({ 'd.contract_id': w.contractId })
      .orderBy('d.round')
      .select('d.round', 'r.outcome');
    expect(rounds).toEqual([
      { round: 1, outcome: 'revisions' },
      { round: 2, outcome: 'accepted' },
    ]);
    const actions = await database
      .db('events')
      .where({ entity_type: 'contract', entity_id: w.contractId })
      .orderBy('id')
      .pluck('action');
    expect(actions.slice(-4)).toEqual(['deliver', 'request_revisions', 'deliver', 'accept_work']);

    // The program officer may read the review, not make it.
    const officer = await w.officerBrowser('fr');
    const read = await officer.client.get(url('contractReview', { id: w.contractId }, 'fr'));
    expect(read.status).toBe(200);
    expect(read.text).toContain('Les travaux ont été acceptés');
    expect(parse(read.text).querySelector('form#review')).toBeNull();
  });

  it('refuses what is out of order, in the page’s language', async () => {
    const w = await aDeliveryWorld(t);
    const [criterion] = w.criterionIds;
    const client = { en: await w.clientBrowser('en'), fr: await w.clientBrowser('fr') };
    // Review before delivery.
    for (const [lang, text] of [
      ['en', 'There is nothing to review yet: the supplier has not delivered the work.'],
      ['fr', 'Il n’y a encore rien à examiner\u00a0: le fournisseur n’a pas livré les travaux.'],
    ] as const) {
      // No form on the page yet: the one a client could still send, with the contract's version.
      const page = url('contractReview', { id: w.contractId }, lang);
      const early = await client[lang].post(
        page,
        {
          version: '2',
          decision: 'accept',
          [`met-${criterion}`]: 'yes',
          [`comment-${criterion}`]: '',
        },
        page,
      );
      expect(early.status).toBe(409);
      expect(early.text).toContain(text);
    }

    const supplier = await w.supplierBrowser();
    expect(
      (await postDelivery(supplier, w.contractId, { pullRequests: pullOn(w.repositoryUrl, 3) }))
        .status,
    ).toBe(303);
    // Delivery when not in progress (already delivered).
    for (const [lang, text] of [
      ['en', 'The work cannot be delivered now: the contract is not in progress'],
      [
        'fr',
        'Les travaux ne peuvent pas être livrés maintenant\u00a0: le contrat n’est pas en cours',
      ],
    ] as const) {
      const browser = await w.supplierBrowser(lang);
      const twice = await browser.post(
        url('contractDelivery', { id: w.contractId }, lang),
        { version: '3', pullRequests: pullOn(w.repositoryUrl, 4) },
        url('contractDelivery', { id: w.contractId }, lang),
      );
      expect(twice.status).toBe(409);
      expect(twice.text).toContain(text);
    }

    // Accepting with an unmet criterion.
    for (const [lang, text] of [
      ['en', 'The work cannot be accepted while a work acceptance criterion is not met'],
      [
        'fr',
        'Les travaux ne peuvent pas être acceptés tant qu’un critère d’acceptation des travaux n’est pas respecté',
      ],
    ] as const) {
      const unmet = await postReview(
        client[lang],
        w.contractId,
        { decision: 'accept', judgements: [{ id: criterion!, met: 'no', comment: 'Tests fail.' }] },
        lang,
      );
      expect(unmet.status).toBe(409);
      expect(unmet.text).toContain(text);
      expect(unmet.text).toContain('Tests fail.');
    }
    expect(await contractStatus(w.contractId)).toBe('delivered');
    expect(
      await database
        .db('delivery_reviews as r')
        .join('deliveries as d', 'd.id', 'r.delivery_id')
        .where({ 'd.contract_id': w.contractId }),
    ).toHaveLength(0);

    // Another supplier: the contract's pages do not exist for them.
    const other = await aDeliveryWorld(t);
    const stranger = await other.supplierBrowser();
    for (const page of ['contractDelivery', 'contractReview'] as const) {
      const res = await stranger.client.get(url(page, { id: w.contractId }, 'en'));
      expect([403, 404]).toContain(res.status);
    }
    const forged = await stranger.post(
      url('contractDelivery', { id: w.contractId }, 'en'),
      { version: '2', pullRequests: pullOn(w.repositoryUrl, 5) },
      url('contractDelivery', { id: other.contractId }, 'en'),
    );
    expect(forged.status).toBe(404);
    // Nor can another client review it.
    const otherClient = await other.clientBrowser();
    expect(
      (await otherClient.client.get(url('contractReview', { id: w.contractId }, 'en'))).status,
    ).toBe(404);
  });

  it('keeps what was typed on bad input, in both languages', async () => {
    const w = await aDeliveryWorld(t);
    const [criterion] = w.criterionIds;
    const supplier = { en: await w.supplierBrowser('en'), fr: await w.supplierBrowser('fr') };
    const cases = [
      {
        form: { pullRequests: 'github.com/not-a-link', notes: 'My notes stay.' },
        en: 'Enter each link as a full https address on GitHub or GitLab',
        fr: 'Entrez chaque lien comme une adresse https complète sur GitHub ou GitLab',
      },
      {
        form: {
          pullRequests: 'https://github.com/someone-else/fork/pull/1',
          notes: 'My notes stay.',
        },
        en: 'This pull request is not on the opportunity’s repository',
        fr: 'Cette demande de tirage n’est pas dans le dépôt de l’occasion',
      },
      {
        form: {
          commits: `https://gitlab.com/group/project/-/commit/${'c'.repeat(40)}`,
          notes: 'My notes stay.',
        },
        en: 'This link is not on the opportunity’s repository host',
        fr: 'Ce lien n’est pas sur l’hébergeur du dépôt de l’occasion',
      },
      {
        form: { notes: 'My notes stay.' },
        en: 'Give at least one link',
        fr: 'Donnez au moins un lien',
      },
    ];
    for (const c of cases) {
      for (const lang of ['en', 'fr'] as const) {
        const res = await postDelivery(supplier[lang], w.contractId, c.form, lang);
        expect(res.status, JSON.stringify(c.form)).toBe(400);
        expect(res.text).toContain(c[lang]);
        expect(res.text).toContain('My notes stay.');
        for (const typed of Object.values(c.form)) expect(res.text).toContain(typed);
      }
    }
    expect(await contractStatus(w.contractId)).toBe('in_progress');

    await postDelivery(supplier.en, w.contractId, { pullRequests: pullOn(w.repositoryUrl, 8) });
    for (const [lang, text] of [
      ['en', 'Say what is missing: a comment is required when a criterion is not met.'],
      [
        'fr',
        'Indiquez ce qui manque\u00a0: un commentaire est obligatoire si un critère n’est pas respecté.',
      ],
    ] as const) {
      const client = await w.clientBrowser(lang);
      const res = await postReview(
        client,
        w.contractId,
        {
          decision: 'revisions',
          judgements: [{ id: criterion!, met: 'no', comment: '' }],
          reason: 'Typed reason kept',
        },
        lang,
      );
      expect(res.status).toBe(400);
      expect(res.text).toContain(text);
      expect(res.text).toContain('Typed reason kept');
      expect(parse(res.text).querySelector(`#met-${criterion}-no`)?.hasAttribute('checked')).toBe(
        true,
      );
    }
    expect(await contractStatus(w.contractId)).toBe('delivered');
  });
});

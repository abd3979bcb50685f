import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import {
  cancelPath,
  requestPath,
  reviewWorld,
  screenPath,
  section32Path,
} from '../helpers/review-world.ts';
import { aDeclinedRequest, aScreenedRequest, aSubmittedRequest } from '../helpers/scenarios.ts';

/**
 * WCAG 3.1.2 (Language of Parts): a reason is free text in the language its author typed it in,
 * the page's; the history on a page in the other language marks it with `lang`.
 */
const w = reviewWorld();
const { ids, version } = w;

const SUBMITTED_AT = '2026-11-20T15:00:00Z';
const submitted = () =>
  aSubmittedRequest(w.t, { requester: ids.client, at: { submit: SUBMITTED_AT } });

/** The history's row of the step, on the request page in `lang`, read by the program officer. */
async function reasonCell(reference: string, lang: 'en' | 'fr', reason: string) {
  const reader = await w.as(lang === 'en' ? 'officer' : 'agente');
  const res = await reader.client.get(requestPath(reference, lang)).expect(200);
  const rows = parse(res.text).querySelectorAll('#history + table tbody tr');
  const row = rows.find((r) => r.text.includes(reason));
  expect(row, `the history on the ${lang} page shows the reason`).toBeDefined();
  return row!.querySelectorAll('td').at(-1)!;
}

describe('the language of the reasons in a request’s history', () => {
  it('marks a reason typed on the English page lang="en" on the French page, and not on the English one', async () => {
    const { id, reference } = await submitted();
    const reason = 'The delivery date is too close to the closing date; please move it.';
    const res = await (
      await w.as('officer')
    ).post(
      screenPath(reference),
      { decision: 'return', comments: reason, version: await version(id) },
      requestPath(reference),
    );
    expect(res.status).toBe(303);

    const french = await reasonCell(reference, 'fr', reason);
    expect(french.querySelector('[lang="en"]')?.text).toBe(reason);
    const english = await reasonCell(reference, 'en', reason);
    expect(english.text.trim()).toBe(reason);
    expect(english.querySelector('[lang]')).toBeNull();
    // The client reads the program team's comments on their request's review page too.
    const client = (await w.as('client')).client;
    for (const [path, marked] of [
      [`/fr/demandes-d-occasion/${reference}/verification`, 'en'],
      [`/en/requests/${reference}/review`, undefined],
    ] as const) {
      const review = parse((await client.get(path).expect(200)).text);
      const comments = review.querySelector('.returns blockquote.comments');
      expect(comments?.text).toBe(reason);
      expect(comments?.getAttribute('lang')).toBe(marked);
    }
  });

  it('marks a reason typed on the French page lang="fr" on the English page, and not on the French one', async () => {
    const { id, reference } = await submitted();
    const reason = 'La date de livraison est trop proche de la date de clôture.';
    const res = await (
      await w.as('agente')
    ).post(
      `/fr/demandes-d-occasion/${reference}/examen`,
      { decision: 'decline', comments: reason, version: await version(id) },
      requestPath(reference, 'fr'),
    );
    expect(res.status).toBe(303);

    const english = await reasonCell(reference, 'en', reason);
    expect(english.querySelector('[lang="fr"]')?.text).toBe(reason);
    const french = await reasonCell(reference, 'fr', reason);
    expect(french.querySelector('[lang]')).toBeNull();
  });

  it('marks a cancellation’s reason typed in English on the French page', async () => {
    const { id, reference } = await aScreenedRequest(w.t, { requester: ids.client });
    const reason = 'The team fixed the bug themselves; the work is no longer needed.';
    const client = await w.as('client');
    const res = await client.post(
      cancelPath(reference),
      { reason, confirm: 'yes', version: await version(id) },
      cancelPath(reference),
    );
    expect(res.status).toBe(303);
    const french = await reasonCell(reference, 'fr', reason);
    expect(french.querySelector('[lang="en"]')?.text).toBe(reason);
  });

  it('keeps an override’s reason in its proposer’s language, its confirmation’s too', async () => {
    const { id, reference } = await aScreenedRequest(w.t, { requester: ids['manager-client'] });
    const reason = 'Une seule gestionnaire de l’article 32 travaille dans l’unité ce mois-ci.';
    const proposed = await (
      await w.as('manager-client')
    ).post(
      `/fr/demandes-d-occasion/${reference}/article-32/derogation`,
      { overrideReason: reason, version: await version(id) },
      section32Path(reference, 'fr'),
    );
    expect(proposed.status).toBe(303);
    const [override] = await w.database.db('segregation_overrides').where({ opportunity_id: id });
    // The second manager reads it on the confirmation page, marked too.
    const manager = await w.as('manager');
    const confirmPage = await manager.client
      .get(`/en/requests/${reference}/overrides/${override.id}`)
      .expect(200);
    expect(parse(confirmPage.text).querySelector('main [lang="fr"]')?.text.trim()).toBe(reason);
    const confirmed = await manager.post(`/en/requests/${reference}/overrides/${override.id}`, {});
    expect(confirmed.status).toBe(303);

    const res = await (await w.as('officer')).client.get(requestPath(reference)).expect(200);
    const cells = parse(res.text)
      .querySelectorAll('#history + table tbody tr')
      .filter((r) => r.text.includes(reason))
      .map((r) => r.querySelectorAll('td').at(-1)!.querySelector('[lang="fr"]')?.text);
    expect(cells).toEqual([reason, reason]);
  });

  it('leaves a reason recorded without its language unmarked on both pages', async () => {
    const reason = 'Declined before the language of reasons was recorded.';
    const { reference } = await aDeclinedRequest(w.t, { requester: ids.client, reason });
    for (const lang of ['en', 'fr'] as const) {
      const cell = await reasonCell(reference, lang, reason);
      expect(cell.querySelector('[lang]')).toBeNull();
    }
  });
});

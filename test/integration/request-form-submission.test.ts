import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../src/platform/money.ts';
import { errorsOf, fieldValue } from '../helpers/pages.ts';
import {
  english,
  requestFormWorld,
  reviewPath,
  stepPath,
  submit,
  walk,
} from '../helpers/request-form-world.ts';
import { aDraftRequest, aPublishedOpportunity, aReturnedRequest } from '../helpers/scenarios.ts';

/** Who may change a draft, the contract-splitting check at submission, and a returned request. */
const w = requestFormWorld();
const { ids, row, outbox } = w;
const signedIn = (email: string) => w.signedIn(email);

describe('the guided request form', () => {
  it('lets only the requester change a draft, and hides it from other departments', async () => {
    const { reference: ref } = await aDraftRequest(w.t, { requester: ids.client });
    const draft = await row(ref);

    const colleague = await signedIn('colleague@esdc.example.ca');
    const seen = await colleague.client.get(stepPath(ref, 1));
    expect(seen.status).toBe(403);
    expect(seen.text).toContain(`Only the person who started request ${ref} can change it.`);
    expect(fieldValue(seen.text, 'title')).toBeUndefined();
    const token = await colleague.csrf('/en/requests');
    const changed = await colleague.client
      .post(stepPath(ref, 1))
      .type('form')
      .send({ _csrf: token, title: 'Taken over', summary: 's', description: 'd' });
    expect(changed.status).toBe(403);
    const submitted = await colleague.client
      .post(reviewPath(ref))
      .type('form')
      .send({ _csrf: token, version: String(draft.version) });
    expect(submitted.status).toBe(403);
    expect(await row(ref)).toMatchObject({
      title_en: draft.title_en,
      status: 'draft',
      version: draft.version,
    });

    const outsider = await signedIn('client@tbs.example.ca');
    expect((await outsider.client.get(stepPath(ref, 1))).status).toBe(404);
    expect((await outsider.client.get(reviewPath(ref))).status).toBe(404);
    const outsiderToken = await outsider.csrf('/en/requests');
    const posted = await outsider.client
      .post(stepPath(ref, 1))
      .type('form')
      .send({ _csrf: outsiderToken, title: 'Taken over', summary: 's', description: 'd' });
    expect(posted.status).toBe(404);
    expect((await row(ref)).title_en).toBe(draft.title_en);

    // A step that does not exist is not a page.
    const owner = await signedIn('client@esdc.example.ca');
    for (const step of ['0', '6', 'review', '1.0']) {
      expect((await owner.client.get(`/en/requests/${ref}/step/${step}`)).status).toBe(404);
    }
  });

  it('offers the departments of a client of several, and only those', async () => {
    const a = await signedIn('both@example.ca');
    const page = await a.client.get('/en/requests/new').expect(200);
    const choices = parse(page.text)
      .querySelectorAll('input[name="department"]')
      .map((i) => i.getAttribute('value'));
    expect(choices).toEqual([String(w.esdc), String(w.tbs)]);
    const ref = await w.start(a, 'en', 'en', w.tbs);
    expect((await row(ref)).department_id).toBe(w.tbs);
    const [other] = await w.database
      .db('departments')
      .insert({ acronym_en: 'PSPC', acronym_fr: 'SPAC', name_en: 'PSPC', name_fr: 'SPAC' })
      .returning('id');
    const refused = await a.post('/en/requests/new', {
      department: String(other.id),
      sourceLanguage: 'en',
    });
    expect(refused.status).toBe(400);
    expect(errorsOf(refused.text)).toEqual(['Choose the department this request is for.']);
  });

  it('asks for a justification when related purchases pass the cap, and keeps the check', async () => {
    // Two earlier purchases of the same cost centre, started in June and published since.
    const related: string[] = [];
    while (related.length < 2) {
      const earlier = await aPublishedOpportunity(w.t, {
        requester: ids.client,
        priceCents: 400_000,
        costCentre: '100234',
        at: { start: '2026-06-01T12:00:00Z' },
      });
      related.push(earlier.reference);
    }
    const a = await signedIn('client@esdc.example.ca');
    const ref = await w.start(a, 'en');
    const answers = english('https://github.com/canada-ca/splitting-check');
    await walk(a, ref, {
      ...answers,
      4: { ...answers[4], price: '1000' },
      5: { ...answers[5], costCentre: '100234' },
    });
    const review = await a.client.get(reviewPath(ref)).expect(200);
    expect(review.text).toContain('Related purchases (contract splitting)');
    const rows = parse(review.text).querySelectorAll('#submit-request tbody tr');
    expect(rows.map((r) => r.querySelector('th')?.textContent)).toEqual(related);
    expect(review.text).toContain(formatMoney(460_000, 'en'));
    expect(review.text).toContain(`Total with this request: ${formatMoney(1_035_000, 'en')}`);

    const refused = await submit(a, ref, 'en');
    expect(refused.status).toBe(400);
    expect(errorsOf(refused.text).join(' ')).toContain('Explain in at least 20 characters');
    const short = await submit(a, ref, 'en', { justification: 'Different needs.' });
    expect(short.status).toBe(400);
    expect(fieldValue(short.text, 'justification')).toBe('Different needs.');
    expect(await row(ref)).toMatchObject({ status: 'draft', splitting_related: null });

    const justification = 'The two earlier opportunities fix a different product for another team.';
    const accepted = await submit(a, ref, 'en', { justification });
    expect(accepted.status).toBe(303);
    const after = await row(ref);
    expect(after.status).toBe('submitted');
    expect(after.splitting_justification).toBe(justification);
    expect(after.splitting_related).toMatchObject({
      exceedsCap: true,
      totalCents: 1_035_000,
      related: related.map((reference) =>
        expect.objectContaining({ reference, sameCostCentre: true }),
      ),
    });
    const emails = (await outbox('request-submitted')).filter((e) => e.data.reference === ref);
    expect(emails).toHaveLength(2);
    expect(emails[0]!.data.detail).toBe(justification);
  });

  it('shows the history of returns, and takes the corrected request again', async () => {
    const reason = 'Please name the form validator’s repository owner in the description.';
    const { reference: ref } = await aReturnedRequest(w.t, {
      requester: ids.client,
      officer: ids.officer1,
      reason,
    });
    const a = await signedIn('client@esdc.example.ca');
    const list = await a.client.get('/en/requests').expect(200);
    expect(list.text).toContain('Make the changes asked and submit again');
    const review = await a.client.get(reviewPath(ref)).expect(200);
    expect(review.text).toContain('Returned for changes');
    expect(review.text).toContain('Returned on November 23, 2026');
    expect(parse(review.text).querySelector('.comments')?.textContent).toBe(reason);

    const answers = english('https://github.com/canada-ca/form-validator');
    const fixed = await a.post(stepPath(ref, 1), {
      ...answers[1],
      description: `${answers[1].description}\n\nOwner: the forms team.`,
      then: 'continue',
    });
    expect(fixed.status).toBe(303);
    expect((await submit(a, ref, 'fr')).status).toBe(303);
    expect((await row(ref)).status).toBe('submitted');
    const frenchPage = await a.client.get('/fr/demandes-d-occasion/nouvelle').expect(200);
    expect(frenchPage.text).toContain('Commencer une demande d’occasion');
    expect(w.t.missingKeys).toEqual([]);
  });
});

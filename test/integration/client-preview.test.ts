import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { errorSummary } from '../helpers/pages.ts';
import { aTranslatedRequest } from '../helpers/scenarios.ts';
import { agent } from '../helpers/session.ts';
import { translationWorld } from '../helpers/translation-world.ts';

/** The client's preview of the translated opportunity, at an unguessable address, and its approval. */
const w = translationWorld();
const { ids, row, eventsOf, outbox } = w;

async function translated() {
  const created = await aTranslatedRequest(w.t, { requester: ids.client });
  return { ...created, token: created.previewToken! };
}

describe('the client’s preview', () => {
  it('is reachable by its token without signing in, marked as a preview and never indexed', async () => {
    const { reference, token } = await translated();
    const res = await agent(w.t.app).client.get(`/en/preview/${token}`).expect(200);
    const page = parse(res.text);
    expect(page.querySelector('.preview-banner')?.textContent).toContain(
      'Preview — this opportunity is not published yet',
    );
    expect(page.querySelector('meta[name="robots"]')?.getAttribute('content')).toBe('noindex');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(page.querySelector('h1')?.textContent).toBe(`Fix the form validator (${reference})`);
    expect(page.querySelector('#acceptance-criteria')).not.toBeNull();
    // Dates are examples until publishing: opening today, closing by default.
    expect(res.text).toContain('December 7, 2026 at 2:00 p.m. (Eastern time)');
    // Nobody signed in: no approval form.
    expect(page.querySelector('form#approve')).toBeNull();
    const toggle = page.querySelector('.lang-toggle a')?.getAttribute('href');
    expect(toggle).toBe(`/fr/apercu/${token}`);

    const fr = await agent(w.t.app).client.get(`/fr/apercu/${token}`).expect(200);
    expect(fr.text).toContain('Aperçu — cette occasion n’est pas encore publiée');
    expect(fr.text).toContain(`Corriger le validateur de formulaires (${reference})`);
  });

  it('answers 404 for a wrong or malformed token', async () => {
    for (const path of [`/en/preview/${'x'.repeat(43)}`, '/en/preview/short', '/fr/apercu/x']) {
      const res = await agent(w.t.app).client.get(path);
      expect(res.status, path).toBe(404);
      expect(res.text).toContain('noindex');
    }
  });

  it('is approved by the client who requested it only, once', async () => {
    const { id, reference, token } = await translated();
    const previewPath = `/en/preview/${token}`;
    const approvePath = `/en/requests/${reference}/approve-preview`;

    // A client of another department sees the preview (it is a link) but cannot approve.
    const tbs = w.signedInAs['client@tbs']!;
    const seen = parse((await tbs.client.get(previewPath).expect(200)).text);
    expect(seen.querySelector('form#approve')).toBeNull();
    const version = String((await row(id)).version);
    const refused = await tbs.post(approvePath, { version }, previewPath);
    expect(refused.status).toBe(404);
    // Nor can the program officer: approving is the client's.
    const officer = w.signedInAs['officer@esdc']!;
    expect((await officer.post(approvePath, { version }, previewPath)).status).toBe(403);
    // Nor a colleague of the requester: the client who asked approves what will be published.
    const colleague = w.signedInAs['colleague@esdc']!;
    const colleagueSees = parse((await colleague.client.get(previewPath).expect(200)).text);
    expect(colleagueSees.querySelector('form#approve')).toBeNull();
    const byColleague = await colleague.post(approvePath, { version }, previewPath);
    expect(byColleague.status).toBe(409);
    expect(byColleague.text).toContain(
      'Only the client who requested this opportunity can take this step.',
    );
    expect((await row(id)).status).toBe('translated');

    const client = w.signedInAs['client@esdc']!;
    const page = parse((await client.client.get(previewPath).expect(200)).text);
    const form = page.querySelector('form#approve')!;
    expect(form.getAttribute('action')).toBe(approvePath);
    const approved = await client.post(
      approvePath,
      { version: form.querySelector('input[name="version"]')!.getAttribute('value')! },
      previewPath,
    );
    expect(approved.status).toBe(303);
    expect(approved.headers.location).toBe(`${previewPath}?done=approved`);
    expect((await row(id)).status).toBe('ready');
    const after = await client.client.get(approved.headers.location!).expect(200);
    expect(after.text).toContain('you approved this preview');

    // A second click on the page seen before is stale: a message on the preview, one event.
    const again = await client.post(approvePath, { version }, previewPath);
    expect(again.status).toBe(409);
    expect(errorSummary(again.text)).toContain('or you clicked twice');
    expect(again.text).toContain('Preview — this opportunity is not published yet');
    expect(await eventsOf(id, 'approve_preview')).toHaveLength(1);

    const emails = await outbox('ready-to-publish');
    expect(emails.map((e) => e.recipient)).toEqual(['officer@esdc.example.ca']);
    expect((emails[0]!.data as { link: { en: string } }).link.en).toBe(
      `/en/requests/${reference}/publish`,
    );
  });
});

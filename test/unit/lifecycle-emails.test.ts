import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createTranslator } from '../../src/platform/i18n.ts';
import { emailTemplates, type EmailTemplate } from '../../src/platform/mail/outbox.ts';
import { createEmailRenderer } from '../../src/platform/mail/render.ts';
import { emailSamples, sampleReference } from '../../src/platform/mail/samples.ts';
import { createViews } from '../../src/platform/views.ts';

/**
 * DOMAIN.md ("Emails"), email by email, and the templates that send it. Adding a lifecycle email
 * to DOMAIN.md without its template, or removing a template one of them needs, fails here.
 */
const lifecycleEmails: Record<string, readonly EmailTemplate[]> = {
  'new opportunity (to subscribers)': ['new-opportunity'],
  'subscription confirmation (double opt-in)': ['subscription-confirmation'],
  'application received': ['application-received'],
  'addendum / extension': ['addendum-published'],
  'deadline reminder (24 h) to drafts': ['deadline-reminder'],
  // Issue 13, watching: the closing reminder and the answers to those who watch (addenda and
  // extensions tell them through addendum-published).
  'closing reminder (24 h) to watchers': ['watch-closing-reminder'],
  'answer to a question, to watchers': ['answer-published'],
  'deadline passed (to client)': ['deadline-passed'],
  'selected (with terms link)': ['offer-selected'],
  'not selected — passed but not drawn': ['outcome-not-drawn'],
  'not selected — did not meet criteria (with the per-criterion rationale)': [
    'outcome-not-qualified',
  ],
  'terms accepted (kick-off)': ['offer-accepted', 'offer-awarded'],
  'delivery received': ['delivery-received', 'delivery-acknowledged'],
  'revisions requested': ['revisions-requested'],
  'work accepted': ['work-accepted'],
  'invoice received': ['invoice-received'],
  certified: ['invoice-certified'],
  paid: ['card-payment-made', 'paypal-payout-paid'],
  terminated: ['contract-terminated'],
  // One queue notice for each approver of the lifecycle.
  'queue notice: program team, a request to screen': ['request-submitted'],
  'queue notice: section 32 manager, funds to approve': ['funds-approval-needed'],
  'queue notice: translation': ['translation-needed'],
  'queue notice: client, the preview to approve': ['preview-ready'],
  'queue notice: program team, ready to publish': ['ready-to-publish'],
  'queue notice: evaluator named': ['evaluator-named'],
  'queue notice: client, delivered work to review': ['delivery-received'],
  'queue notice: section 34 manager, an invoice to certify': ['invoice-to-certify'],
  'queue notice: finance officer, a payment to make': ['payment-to-make'],
  'queue notice: finance, reserved funds to release': [
    'funds-release-requested',
    'contract-funds-release',
  ],
};

const render = async () => {
  const missing: string[] = [];
  const renderer = createEmailRenderer(
    createViews(),
    await createTranslator((lang, key) => missing.push(`${lang}:${key}`)),
    'https://micro-acquisition.example.gc.ca',
  );
  const samples = new Map(emailSamples().map((s) => [s.template, s.data]));
  return {
    missing,
    email: (template: EmailTemplate) =>
      renderer.render(template, 'fr', samples.get(template) ?? {}),
  };
};

describe('every lifecycle email of DOMAIN.md', () => {
  for (const [email, templates] of Object.entries(lifecycleEmails)) {
    it(`${email}: ${templates.join(', ')}`, async () => {
      const { missing, email: rendered } = await render();
      for (const template of templates) {
        expect(emailTemplates).toContain(template);
        for (const kind of ['html', 'txt']) {
          expect(existsSync(`views/emails/${template}.${kind}.njk`), `${template}.${kind}`).toBe(
            true,
          );
        }
        const { subject } = rendered(template);
        if (template !== 'subscription-confirmation') expect(subject).toContain(sampleReference);
      }
      expect(missing).toEqual([]);
    });
  }

  it('tells the applicant who did not meet the criteria each criterion’s rationale, and the one selected where to accept the terms', async () => {
    const { email } = await render();
    const notQualified = email('outcome-not-qualified');
    expect(notQualified.text).toContain('Expérience de TypeScript');
    expect(notQualified.text).toContain('Aucun exemple donné.');
    expect(notQualified.text).toContain('No example given.');
    const selected = email('offer-selected');
    expect(selected.html).toContain('href="https://micro-acquisition.example.gc.ca/fr/offres/7"');
    expect(selected.html).toContain('href="https://micro-acquisition.example.gc.ca/en/offers/7"');
  });
});

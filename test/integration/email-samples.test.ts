import { readdirSync } from 'node:fs';
import { parse } from 'node-html-parser';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailTemplates } from '../../src/platform/mail/outbox.ts';
import { emailSamples, sampleReference } from '../../src/platform/mail/samples.ts';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

/** Files in views/emails/ that are pieces of the others, not emails of their own. */
const buildingBlocks = ['layout', 'sections', 'offer-message', 'delivery-message'];

/** Emails about a person's account or the list itself, which name no opportunity. */
const aboutNoOpportunity = [
  'subscription-confirmation',
  'subscription-already',
  'confirm-email',
  'reset-password',
  'account-exists',
  'department-sign-in',
  'staff-invitation',
  'staff-invitation-supplier',
  'role-grant-proposed',
  'role-grant-confirmed',
  'payee-details-changed',
  'queue-digest',
];

const templateFiles = readdirSync('views/emails')
  .filter((name) => name.endsWith('.html.njk'))
  .map((name) => name.replace(/\.html\.njk$/, ''))
  .filter((name) => !buildingBlocks.includes(name));

let database: TestDatabase;
let t: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
});

afterAll(async () => {
  await database.drop();
});

describe('every email template, with sample data', () => {
  it('has a sample for each template file, and a file (HTML and text) for each template', () => {
    const sampled = emailSamples().map((s) => s.template);
    expect([...sampled].sort()).toEqual([...templateFiles].sort());
    expect([...emailTemplates].sort()).toEqual([...templateFiles].sort());
    const textFiles = readdirSync('views/emails').filter((name) => name.endsWith('.txt.njk'));
    for (const name of templateFiles) expect(textFiles).toContain(`${name}.txt.njk`);
  });

  it('are all on the email preview page, in English and in French', async () => {
    for (const lang of ['en', 'fr'] as const) {
      t.missingKeys.length = 0;
      const res = await request(t.app)
        .get(url('emailPreview', {}, lang))
        .expect(200);
      const page = parse(res.text);
      for (const template of templateFiles) {
        const heading = page.querySelector(`#sample-${template}`);
        expect(heading?.text, template).toContain(template);
        if (!aboutNoOpportunity.includes(template))
          expect(heading?.text).toContain(sampleReference);
      }
      expect(t.missingKeys).toEqual([]);
    }
  });

  for (const { template, data } of emailSamples()) {
    it(`${template}: renders in English and French, no key missing, the reference in its subject`, () => {
      t.missingKeys.length = 0;
      for (const language of ['en', 'fr'] as const) {
        const email = t.deps.emailRenderer.render(template, language, data);
        for (const part of [email.subject, email.text, email.html]) {
          expect(part).not.toMatch(/\{\{|emails\.[\w-]+\.|offers\.emails\.|undefined|\[object/);
        }
        if (!aboutNoOpportunity.includes(template)) {
          for (const subject of email.subject.split(' | '))
            expect(subject).toContain(sampleReference);
        }
        for (const a of parse(email.html).querySelectorAll('a')) {
          expect(a.getAttribute('href')).toMatch(/^(https?:\/\/[^/]+)?\/(en|fr)\//);
        }
      }
      expect(t.missingKeys).toEqual([]);
    });
  }
});

import nodemailer from 'nodemailer';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobRunner } from '../../src/platform/jobs.ts';
import { mailDelivery } from '../../src/platform/mail/delivery.ts';
import { enqueueEmail } from '../../src/platform/mail/outbox.ts';
import { emailSamples } from '../../src/platform/mail/samples.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { startTestMailbox, type TestMailbox } from '../helpers/smtp.ts';

let database: TestDatabase;
let mailbox: TestMailbox;
let t: TestApp;

const SEPARATOR = '————————————————————';
const frenchWords = /\b(votre|vous|une|les|des)\b/i;
const englishWords = /\b(your|you|the|this)\b/i;

beforeAll(async () => {
  database = await createTestDatabase();
  mailbox = await startTestMailbox();
  t = await createTestApp(database.db);
});

afterAll(async () => {
  await mailbox.close();
  await database.drop();
});

describe('the languages of an email', () => {
  for (const { template, data } of emailSamples()) {
    it(`${template}: the chosen language alone, or both with the recipient's first`, () => {
      const render = t.deps.emailRenderer.render;
      const frOnly = render(template, 'fr', data, true);
      expect(frOnly.subject).not.toContain(' | ');
      expect(frOnly.text).not.toContain(SEPARATOR);
      expect(frOnly.html).toContain('<html lang="fr">');
      const enOnly = render(template, 'en', data, true);
      expect(enOnly.text).not.toContain(SEPARATOR);
      expect(enOnly.subject).toBe(render(template, 'en', data).subject.split(' | ')[0]);
      expect(frOnly.subject).toBe(render(template, 'fr', data).subject.split(' | ')[0]);

      for (const [language, first] of [
        ['fr', 'fr'],
        ['en', 'en'],
        [null, 'en'],
      ] as const) {
        const both = render(template, language, data);
        const [one, two] = both.text.split(SEPARATOR);
        expect(two, 'both languages').toBeDefined();
        expect(both.subject.split(' | ')).toHaveLength(2);
        expect(both.subject.split(' | ')[0]).toBe((first === 'fr' ? frOnly : enOnly).subject);
        expect(one!.trim()).toBe((first === 'fr' ? frOnly : enOnly).text.trim());
      }
    });
  }

  it('arrives at the SMTP server in the chosen language only, and in both otherwise', async () => {
    const logger = pino({ level: 'silent' });
    const runner = createJobRunner({
      connectionString: database.url,
      clock: t.clock,
      logger,
      jobs: [
        mailDelivery({
          db: database.db,
          transport: nodemailer.createTransport(mailbox.url),
          renderer: t.deps.emailRenderer,
          clock: t.clock,
          logger,
          from: 'Micro-acquisitions <no-reply@example.gc.ca>',
        }),
      ],
    });
    const data = emailSamples().find((s) => s.template === 'new-opportunity')!.data;
    const send = (key: string, to: string, language: 'fr' | 'en' | null, languageOnly: boolean) =>
      enqueueEmail(
        database.db,
        { idempotencyKey: key, template: 'new-opportunity', to, language, languageOnly, data },
        t.clock.now(),
      );
    await send('chose-fr', 'chose-fr@example.com', 'fr', true);
    await send('fr-first', 'fr-first@example.com', 'fr', false);
    // Nobody can choose no language: alone without one, it is both.
    await send('unknown', 'unknown@example.com', null, true);
    await runner.runDueJobs(t.clock.now());
    const messages = await mailbox.waitFor(3);
    const to = (address: string) =>
      messages.find((m) => m.to && 'text' in m.to && m.to.text === address)!;

    const chosen = to('chose-fr@example.com');
    expect(chosen.subject).toMatch(/^Nouvelle occasion/);
    expect(chosen.subject).not.toContain('New opportunity');
    expect(chosen.text).toMatch(frenchWords);
    expect(chosen.text).not.toContain(SEPARATOR);
    expect(chosen.text).not.toContain('A new opportunity');

    const frFirst = to('fr-first@example.com');
    expect(frFirst.subject).toMatch(/^Nouvelle occasion .* \| New opportunity/);
    expect(frFirst.text?.split(SEPARATOR)[1]).toMatch(englishWords);

    const unknown = to('unknown@example.com');
    expect(unknown.subject).toMatch(/^New opportunity .* \| Nouvelle occasion/);
  });
});

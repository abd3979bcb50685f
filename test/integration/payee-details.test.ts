import type { ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import { parse } from 'node-html-parser';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createJobRunner } from '../../src/platform/jobs.ts';
import { mailDelivery } from '../../src/platform/mail/delivery.ts';
import { githubAccount } from '../helpers/fake-github.ts';
import { federatedWorld } from '../helpers/federated-world.ts';
import { TEST_NOW } from '../helpers/app.ts';
import { insertPerson, signIn } from '../helpers/people.ts';
import { startTestMailbox, type TestMailbox } from '../helpers/smtp.ts';

/** Security review M7: who is paid changes only with proof of the owner, and never silently. */
const w = federatedWorld();
let mailbox: TestMailbox;
const PASSWORD = 'payee details passphrase';

const profile = {
  legalName: 'Ada Nakamura',
  supplierType: 'individual',
  businessName: '',
  gstHstNumber: '',
  province: 'NS',
  language: 'en',
  githubHandle: '',
  gitlabHandle: '',
  paypalEmail: '',
};

beforeAll(async () => {
  mailbox = await startTestMailbox();
});

afterAll(async () => {
  await mailbox.close();
});

beforeEach(() => {
  w.t.clock.set(TEST_NOW);
});

/** Delivers what the outbox holds over SMTP, as the mail worker does. */
async function deliverEmails() {
  const logger = pino({ level: 'silent' });
  const before = mailbox.messages.length;
  const worker = createJobRunner({
    connectionString: w.database.url,
    clock: w.t.clock,
    logger,
    jobs: [
      mailDelivery({
        db: w.database.db,
        transport: nodemailer.createTransport(mailbox.url),
        renderer: w.t.deps.emailRenderer,
        clock: w.t.clock,
        logger,
        from: 'Micro-acquisitions <no-reply@example.gc.ca>',
      }),
    ],
  });
  const sent = await worker.runDueJobs(w.t.clock.now());
  return (await mailbox.waitFor(before + sent)).slice(before);
}

/** A supplier with a password and a saved profile (its first save proved with the password). */
async function supplierWithProfile(email: string, language: 'en' | 'fr' = 'en') {
  await insertPerson(w.database.db, {
    email,
    kind: 'supplier',
    password: PASSWORD,
    language,
    confirmedAt: w.t.clock.now(),
  });
  const browser = await signIn(w.t.app, email, PASSWORD);
  const first = await browser.post('/en/account/profile', {
    ...profile,
    paypalEmail: `old-${email}`,
    password: PASSWORD,
  });
  expect(first.status).toBe(303);
  await deliverEmails();
  const user = await w.database.db('users').where({ email }).first('id');
  return { browser, id: Number(user.id) };
}

const addressOf = (message: ParsedMail) =>
  message.to && 'value' in message.to ? message.to.value[0]?.address : undefined;

const eventsOf = (userId: number) =>
  w.database.db('events').where({ entity_id: userId, action: 'change_payee_details' });

describe('changing who is paid', () => {
  it('asks for the current password, and gives the form back with what was typed when it is missing or wrong', async () => {
    const { browser, id } = await supplierWithProfile('ada@example.com');
    const change = { ...profile, paypalEmail: 'thief@example.net', province: 'ON' };
    const missing = await browser.post('/en/account/profile', change);
    expect(missing.status).toBe(400);
    expect(parse(missing.text).querySelector('.error-summary a')?.getAttribute('href')).toBe(
      '#password',
    );
    expect(missing.text).toContain('Enter your current password to change your legal name');

    const wrong = await browser.post('/fr/compte/profil', { ...change, password: 'not it at all' });
    expect(wrong.status).toBe(400);
    const page = parse(wrong.text);
    expect(page.querySelector('#password-error')?.text).toBe(
      'Le mot de passe n’est pas exact. Entrez le mot de passe que vous utilisez pour vous connecter.',
    );
    expect(page.querySelector('#paypalEmail')?.getAttribute('value')).toBe('thief@example.net');
    expect(page.querySelector('#province option[selected]')?.getAttribute('value')).toBe('ON');
    expect(page.querySelector('#password')?.getAttribute('value')).toBe('');

    const stored = await w.database.db('supplier_profiles').where({ user_id: id }).first();
    expect(stored).toMatchObject({ paypal_email: 'old-ada@example.com', province: 'NS' });
    // The first save only.
    expect(await eventsOf(id)).toHaveLength(1);
    expect(await deliverEmails()).toHaveLength(0);
  });

  it('with the right password: saved, recorded as an event, and the account’s and both PayPal addresses told in both languages', async () => {
    const { browser, id } = await supplierWithProfile('marie@example.com', 'fr');
    const saved = await browser.post('/en/account/profile', {
      ...profile,
      language: 'fr',
      legalName: 'Marie Tremblay',
      paypalEmail: 'new-marie@example.com',
      acceptsCard: 'yes',
      password: PASSWORD,
    });
    expect(saved.status).toBe(303);
    const stored = await w.database.db('supplier_profiles').where({ user_id: id }).first();
    expect(stored).toMatchObject({ paypal_email: 'new-marie@example.com', accepts_card: true });

    const [, event] = await eventsOf(id);
    expect(event).toMatchObject({ entity_type: 'user', actor_id: id });
    expect(event.payload).toEqual({
      fields: ['legalName', 'acceptsCard', 'paypalEmail'],
      proof: 'password',
    });

    const sent = await deliverEmails();
    expect(sent.map(addressOf).sort()).toEqual([
      'marie@example.com',
      'new-marie@example.com',
      'old-marie@example.com',
    ]);
    for (const message of sent) {
      // The recipient's language first, then English.
      expect(message.subject).toBe(
        'Renseignements de paiement modifiés dans un compte de fournisseur | Payment details changed on a supplier account',
      );
      expect(message.text).toContain('Adresse courriel PayPal');
      expect(message.text).toContain('PayPal email address');
      expect(message.text).toContain(
        '\n- Nom légal\n- Paiement par carte de crédit (carte d’achat)\n',
      );
      expect(message.text).not.toContain('GST/HST');
      expect(message.text).toContain('http://localhost:3000/en/forgot-password');
    }
    const toAccount = sent.find((m) => m.text?.includes('your supplier profile'));
    expect(toAccount?.text).toContain('November 23, 2026 at 10:00 a.m. (Eastern time)');
    expect(toAccount?.text).toContain('23 novembre 2026 à 10\u00a0h (heure de l’Est)');
    const toOld = sent.find((m) => m.text?.includes('will no longer be sent to this address'));
    expect(toOld && addressOf(toOld)).toBe('old-marie@example.com');
  });

  it('lets the other details change without the password, with no event and no email', async () => {
    const { browser, id } = await supplierWithProfile('other@example.com');
    const saved = await browser.post('/en/account/profile', {
      ...profile,
      paypalEmail: 'old-other@example.com',
      supplierType: 'business',
      businessName: 'Other Code Inc.',
      province: 'QC',
      language: 'fr',
      githubHandle: 'other-dev',
    });
    expect(saved.status).toBe(303);
    const stored = await w.database.db('supplier_profiles').where({ user_id: id }).first();
    expect(stored).toMatchObject({ business_name: 'Other Code Inc.', province: 'QC' });
    expect(await eventsOf(id)).toHaveLength(1);
    expect(await deliverEmails()).toHaveLength(0);
  });

  it('for an account without a password, accepts a GitHub sign-in of the last 5 minutes only', async () => {
    const id = await w.insertUser('dev@example.com', 'supplier', { github_id: '7001' });
    const { browser, callback } = await w.githubSignIn(githubAccount(7001, 'dev@example.com'));
    expect(callback.status).toBe(303);
    const form = parse((await browser.client.get('/en/account/profile').expect(200)).text);
    expect(form.querySelector('#password')).toBeNull();
    expect(form.querySelector('#signInAgain a')?.getAttribute('href')).toBe(
      '/en/sign-in/github?next=%2Fen%2Faccount%2Fprofile',
    );

    w.t.clock.set(new Date(Date.parse(TEST_NOW) + 4 * 60 * 1000));
    const fresh = await browser.post('/en/account/profile', { ...profile, paypalEmail: 'a@x.ca' });
    expect(fresh.status).toBe(303);
    const [event] = await eventsOf(id);
    expect(event.payload).toEqual({ fields: ['legalName', 'paypalEmail'], proof: 'recentSignIn' });

    w.t.clock.set(new Date(Date.parse(TEST_NOW) + 6 * 60 * 1000));
    const stale = await browser.post('/en/account/profile', { ...profile, paypalEmail: 'b@x.ca' });
    expect(stale.status).toBe(400);
    const page = parse(stale.text);
    expect(page.querySelector('.error-summary a')?.getAttribute('href')).toBe('#signInAgain');
    expect(page.querySelector('#signInAgain .error-message')?.text).toContain('Sign in again');
    expect(page.querySelector('#paypalEmail')?.getAttribute('value')).toBe('b@x.ca');
    const stored = await w.database.db('supplier_profiles').where({ user_id: id }).first();
    expect(stored.paypal_email).toBe('a@x.ca');
    expect(await eventsOf(id)).toHaveLength(1);
  });
});

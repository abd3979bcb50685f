import nodemailer from 'nodemailer';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terminateForNonDelivery } from '../../src/contracts/non-delivery.ts';
import { deliveryJobs } from '../../src/delivery/jobs.ts';
import { createJobRunner } from '../../src/platform/jobs.ts';
import { mailDelivery } from '../../src/platform/mail/delivery.ts';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { aDeliveryWorld, postDelivery, postReview, pullOn } from '../helpers/delivery-world.ts';
import { startTestMailbox, type TestMailbox } from '../helpers/smtp.ts';

let database: TestDatabase;
let mailbox: TestMailbox;
let t: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  mailbox = await startTestMailbox();
  t = await createTestApp(database.db);
});

afterAll(async () => {
  await mailbox.close();
  await database.drop();
});

/** Sends every email due now over SMTP, and returns those that arrived for `to`. */
async function sendDue(to: string) {
  const logger = pino({ level: 'silent' });
  const runner = createJobRunner({
    connectionString: database.url,
    clock: t.clock,
    logger,
    jobs: [
      deliveryJobs({ db: database.db, clock: t.clock, logger }),
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
  // Each message is in the mailbox before the server acknowledges it, so before the job ends.
  await runner.runDueJobs(t.clock.now());
  return mailbox.messages.filter((m) => m.to && JSON.stringify(m.to).includes(to));
}

const later = (days: number) => t.clock.set(new Date(t.clock.now().getTime() + days * 86_400_000));

describe('the delivery emails (issue 12, item 2)', () => {
  it('arrive over SMTP in both languages: delivery received, acknowledged, revisions with the list, accepted', async () => {
    const w = await aDeliveryWorld(t);
    const [criterion] = w.criterionIds;
    await postDelivery(await w.supplierBrowser(), w.contractId, {
      pullRequests: pullOn(w.repositoryUrl, 21),
    });
    const toClient = await sendDue(w.client.email);
    const received = toClient.find((m) => m.subject?.includes('Work delivered'))!;
    expect(received.subject).toContain('Travaux livrés à examiner');
    expect(received.text).toContain('within 15 days of delivery');
    expect(received.text).toContain('dans les 15 jours suivant la livraison');
    expect(received.text).toContain(pullOn(w.repositoryUrl, 21));
    expect(received.text).toMatch(/http:\/\/localhost:3000\/en\/contracts\/\d+\/review/);
    expect(received.text).toMatch(/http:\/\/localhost:3000\/fr\/contrats\/\d+\/examen/);
    const acknowledged = (await sendDue(w.supplier.email)).find((m) =>
      m.subject?.includes('Delivery received'),
    );
    expect(acknowledged?.subject).toContain('Livraison reçue');

    await postReview(await w.clientBrowser(), w.contractId, {
      decision: 'revisions',
      judgements: [{ id: criterion!, met: 'no', comment: 'The <b>form</b> & its tests fail.' }],
      reason: 'Add a changelog entry.',
    });
    const revisions = (await sendDue(w.supplier.email)).find((m) =>
      m.subject?.includes('Revisions requested'),
    )!;
    expect(revisions.text).toContain('What is missing');
    expect(revisions.text).toContain('Ce qui manque');
    expect(revisions.text).toContain('All tests pass');
    expect(revisions.text).toContain('Tous les tests réussissent');
    expect(revisions.text).toContain('Add a changelog entry.');
    expect(revisions.html).toContain('The &lt;b&gt;form&lt;/b&gt; &amp; its tests fail.');
    // The comment is marked with the language it was typed in, in the French section.
    expect(revisions.html).toContain('lang="en"');

    await postDelivery(await w.supplierBrowser(), w.contractId, {
      pullRequests: pullOn(w.repositoryUrl, 21),
    });
    await postReview(await w.clientBrowser(), w.contractId, {
      decision: 'accept',
      judgements: [{ id: criterion!, met: 'yes' }],
    });
    const accepted = (await sendDue(w.supplier.email)).find((m) =>
      m.subject?.includes('Work accepted'),
    )!;
    expect(accepted.subject).toContain('Travaux acceptés');
    expect(accepted.text).toMatch(/http:\/\/localhost:3000\/en\/contracts\/\d+\/invoice/);
    expect(t.missingKeys).toEqual([]);
  });

  it('remind the client three days before the 15 days are up, if the round is not reviewed', async () => {
    const w = await aDeliveryWorld(t);
    await postDelivery(await w.supplierBrowser(), w.contractId, {
      pullRequests: pullOn(w.repositoryUrl, 22),
    });
    const reminded = (m: { subject?: string }) => m.subject?.includes('Reminder: review');
    expect((await sendDue(w.client.email)).filter(reminded)).toEqual([]);
    later(11);
    expect((await sendDue(w.client.email)).filter(reminded)).toEqual([]);
    later(2);
    const [reminder] = (await sendDue(w.client.email)).filter(reminded);
    expect(reminder?.subject).toContain('Rappel\u00a0: examinez les travaux livrés');
    expect(reminder?.text).toContain('still awaiting your review');
    expect(reminder?.text).toMatch(/http:\/\/localhost:3000\/en\/contracts\/\d+\/review/);
    // Past the 15 days, the review page says the time to report a problem is over.
    later(3);
    const page = await (
      await w.clientBrowser('fr')
    ).client.get(url('contractReview', { id: w.contractId }, 'fr'));
    expect(page.text).toContain('Le délai de 15 jours pour signaler au fournisseur un problème');
    later(-16);

    // Reviewed in time: no reminder.
    const reviewed = await aDeliveryWorld(t);
    await postDelivery(await reviewed.supplierBrowser(), reviewed.contractId, {
      pullRequests: pullOn(reviewed.repositoryUrl, 23),
    });
    await postReview(await reviewed.clientBrowser(), reviewed.contractId, {
      decision: 'accept',
      judgements: [{ id: reviewed.criterionIds[0]!, met: 'yes' }],
    });
    // Terminated meanwhile: no reminder either.
    const ended = await aDeliveryWorld(t);
    await postDelivery(await ended.supplierBrowser(), ended.contractId, {
      pullRequests: pullOn(ended.repositoryUrl, 24),
    });
    const { version } = await database
      .db('contracts')
      .where({ id: ended.contractId })
      .first('version');
    await database.db.transaction((trx) =>
      terminateForNonDelivery(trx, ended.client, {
        contractId: ended.contractId,
        version,
        reason: 'The pull request does not build.',
        then: 'end',
        lang: 'en',
        now: t.clock.now(),
      }),
    );
    later(13);
    expect((await sendDue(reviewed.client.email)).filter(reminded)).toEqual([]);
    expect((await sendDue(ended.client.email)).filter(reminded)).toEqual([]);
    later(-13);
  });
});

import type { ParsedMail } from 'mailparser';
import nodemailer, { type Transporter } from 'nodemailer';
import { pino } from 'pino';
import type { Lang } from '../../src/platform/i18n.ts';
import { createJobRunner } from '../../src/platform/jobs.ts';
import { mailDelivery } from '../../src/platform/mail/delivery.ts';
import { url } from '../../src/platform/routes.ts';
import { mailingListChecks } from '../../src/subscriptions/sending.ts';
import { watchingChecks } from '../../src/questions/unwatch.ts';
import type { TestApp } from './app.ts';
import type { TestDatabase } from './database.ts';
import { agent } from './session.ts';
import type { TestMailbox } from './smtp.ts';

/**
 * The mailing list as people use it: the public form, the emails over a real SMTP server on
 * loopback (delivered by the app's own job runner, with the mailing list's send checks), and the
 * links those emails carry.
 */
export function mailingListWorld(w: { database: TestDatabase; mailbox: TestMailbox; t: TestApp }) {
  const { t } = w;

  /** A process's job runner with mail delivery through this transport; runs what is due now. */
  function deliverWith(transport: Transporter) {
    const logger = pino({ level: 'silent' });
    const runner = createJobRunner({
      connectionString: w.database.url,
      clock: t.clock,
      logger,
      jobs: [
        mailDelivery({
          db: w.database.db,
          transport,
          renderer: t.deps.emailRenderer,
          clock: t.clock,
          logger,
          from: 'Micro-acquisitions <no-reply@example.gc.ca>',
          checks: {
            ...mailingListChecks({ clock: t.clock, publicUrl: t.deps.config.PUBLIC_URL }),
            ...watchingChecks({ clock: t.clock, publicUrl: t.deps.config.PUBLIC_URL }),
          },
        }),
      ],
    });
    return () => runner.runDueJobs(t.clock.now());
  }
  const deliverTo = (transportUrl: string) => deliverWith(nodemailer.createTransport(transportUrl));
  const deliver = () => deliverTo(w.mailbox.url)();

  const to = (mail: ParsedMail) =>
    mail.to && !Array.isArray(mail.to) ? mail.to.text.toLowerCase() : '';
  const messagesTo = (email: string) => w.mailbox.messages.filter((m) => to(m) === email);

  /** Delivers what is due and returns the newest message that arrived for this address. */
  async function newestTo(email: string): Promise<ParsedMail> {
    await deliver();
    const list = messagesTo(email);
    const last = list.at(-1);
    if (!last) throw new Error(`no email arrived for ${email}`);
    return last;
  }

  /** The path of the first link of this page in the message's text, e.g. 'confirmSubscription'. */
  function linkIn(
    mail: ParsedMail,
    page: 'confirmSubscription' | 'unsubscribe' | 'unwatch',
    lang: Lang,
  ) {
    const prefix = url(page, { token: 'TOKEN' }, lang).replace('TOKEN', '');
    const at = (mail.text ?? '').indexOf(`${t.deps.config.PUBLIC_URL}${prefix}`);
    if (at === -1) throw new Error(`no ${page} link in: ${mail.text}`);
    const start = at + t.deps.config.PUBLIC_URL.length;
    return (mail.text ?? '').slice(start, start + prefix.length + 43);
  }

  const header = (mail: ParsedMail, name: string) =>
    mail.headerLines
      .find((h) => h.key === name)
      ?.line.slice(name.length + 1)
      .trim();

  function subscribe(
    email: string,
    lang: Lang,
    extra: Record<string, string | string[]> = {},
    who = agent(t.app),
  ) {
    const path = url('subscribe', {}, lang);
    return who.csrf(path).then((_csrf) =>
      who.client
        .post(path)
        .type('form')
        .send({ email, language: lang, consentVersion: '1', consent: 'yes', _csrf, ...extra }),
    );
  }

  /** Subscribes and confirms through the emailed link, as a person does. */
  async function confirmedSubscriber(email: string, lang: Lang, interests: string[] = []) {
    await subscribe(email, lang, interests.length ? { interests } : {});
    const link = linkIn(await newestTo(email), 'confirmSubscription', lang);
    const visitor = agent(t.app);
    const res = await visitor.post(link, {});
    if (res.status !== 200) throw new Error(`confirmation failed: ${res.status}`);
  }

  const subscriberRow = (email: string) =>
    w.database.db('subscribers').whereRaw('lower(email) = lower(?)', [email]).first();

  return {
    deliver,
    deliverTo,
    deliverWith,
    messagesTo,
    newestTo,
    linkIn,
    header,
    subscribe,
    confirmedSubscriber,
    subscriberRow,
  };
}

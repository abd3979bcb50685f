import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lang } from '../../src/platform/i18n.ts';
import type { EmailTemplate } from '../../src/platform/mail/outbox.ts';
import { sendOutcomes } from '../../src/offers/outcomes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { anEvaluatedOpportunity, emailsTo, theDraw } from '../helpers/offers-world.ts';

let database: TestDatabase;
let t: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
});

afterAll(async () => {
  await database.drop();
});

/** The one email of a template queued to an address, rendered as it is sent. */
async function rendered(email: string, template: EmailTemplate) {
  const queued = await emailsTo(t, email, template);
  expect(queued, `${template} to ${email}`).toHaveLength(1);
  const { language, data } = queued[0]!;
  return t.deps.emailRenderer.render(template, language as Lang, data);
}

describe('the outcome emails (issue 11, item 7)', () => {
  it('tells each applicant their outcome, in their language first, the debrief with each criterion’s reason', async () => {
    const e = await anEvaluatedOpportunity(t, [
      { passes: true },
      { passes: true, language: 'fr' },
      { passes: false, language: 'fr' },
      { passes: true },
    ]);
    const order = await theDraw(t, e);
    const failed = e.applicants.find((a) => !a.passes)!;
    const failedNumber = e.applicants.indexOf(failed) + 1;

    // The first drawn is offered the contract; the others who passed learn their rank.
    const selected = await rendered(order[0]!.email, 'offer-selected');
    expect(selected.text).toContain('drawn in position 1');
    for (const [i, a] of order.entries()) {
      if (i === 0) continue;
      const notDrawn = await rendered(a.email, 'outcome-not-drawn');
      const first = notDrawn.text.split('————')[0]!;
      expect(first).toContain(
        a.language === 'fr'
          ? `Votre rang dans l’ordre du tirage est ${i + 1} sur 3.`
          : `Your rank in the draw order is ${i + 1} of 3.`,
      );
      // Feedback on the web after each outcome, in the reader's language first.
      expect(first).toMatch(
        a.language === 'fr'
          ? /\/fr\/occasions\/[^/\s]+\/retroaction/
          : /\/en\/opportunities\/[^/\s]+\/feedback/,
      );
    }

    // The debrief: French first, each criterion with its decision and its reason, as written.
    const debrief = await rendered(failed.email, 'outcome-not-qualified');
    expect(debrief.subject.split(' | ')[0]).toMatch(/^Résultat\u00a0: critères obligatoires/);
    const [fr, en] = debrief.text.split('————————————————————');
    for (const section of [fr!, en!]) {
      expect(section).toContain(
        `Applicant ${failedNumber} shows criterion 1 with two merged pull requests.`,
      );
      expect(section).toContain(
        `Applicant ${failedNumber} gives no example of criterion 2 in any public repository.`,
      );
    }
    expect(fr).toContain('1. A écrit du TypeScript pour un formulaire Web');
    expect(fr).toMatch(/Satisfait\n.*criterion 1/);
    expect(fr).toMatch(/Ne satisfait pas\n.*criterion 2/);
    expect(en).toContain('2. Has contributed to an open-source project');
    expect(en).toMatch(/Not met\n.*criterion 2/);
    expect(debrief.html).toContain('<blockquote');
    expect(fr).toContain('Dites-nous comment s’est passée votre demande');
    expect(debrief.html).toMatch(/href="[^"]*\/fr\/occasions\/[^/"]+\/retroaction"/);
    expect(t.missingKeys).toEqual([]);

    // Nobody who passed gets the debrief, nobody who failed is ranked.
    for (const a of order) expect(await emailsTo(t, a.email, 'outcome-not-qualified')).toEqual([]);
    expect(await emailsTo(t, failed.email, 'outcome-not-drawn')).toEqual([]);

    // Sent once: the draw's caller may call again (a retry), nothing goes twice.
    const before = await database.db('outbox').count<{ n: string }[]>({ n: '*' });
    await database.db.transaction((trx) => sendOutcomes(trx, e.s.id, t.clock.now()));
    expect(await database.db('outbox').count<{ n: string }[]>({ n: '*' })).toEqual(before);
    expect(await database.db('contracts').where({ opportunity_id: e.s.id })).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';
import { remindWatchersOfClosing } from '../../src/questions/watch-reminders.ts';
import { aSubmittedApplication } from '../helpers/applicants.ts';
import { ANSWERS_EN, PAGE_EN, questionsWorld } from '../helpers/questions-world.ts';

const w = questionsWorld();
const CLOSES = new Date('2026-11-27T19:00:00Z');
const hoursBefore = (hours: number) => new Date(CLOSES.getTime() - hours * 3_600_000);

describe('the closing reminder to watchers', () => {
  it('reminds a supplier watching an open opportunity once, within 24 hours of its closing, in their language with the reference', async () => {
    const { db } = w.database;
    await db('watchers').insert([
      { opportunity_id: w.ids.closingSoon, user_id: w.ids.watcher, created_at: hoursBefore(72) },
      // Sophie has an application: she needs no reminder to apply.
      { opportunity_id: w.ids.closingSoon, user_id: w.ids.supplier, created_at: hoursBefore(72) },
    ]);
    w.t.clock.set(hoursBefore(72));
    const opportunity = await w.opportunityRow('MA-2026-0003');
    await aSubmittedApplication(
      w.t,
      { id: opportunity.id, departmentId: opportunity.department_id } as Parameters<
        typeof aSubmittedApplication
      >[1],
      w.ids.supplier!,
    );

    w.t.clock.set(hoursBefore(25));
    expect(await remindWatchersOfClosing(db, w.t.clock)).toBe(0);
    w.t.clock.set(hoursBefore(23));
    expect(await remindWatchersOfClosing(db, w.t.clock)).toBe(1);
    w.t.clock.set(hoursBefore(1));
    expect(await remindWatchersOfClosing(db, w.t.clock)).toBe(0);

    const [row, ...more] = await w.outbox('watch-closing-reminder');
    expect(more).toHaveLength(0);
    expect(row!.recipient).toBe('watcher@example.com');
    const email = w.t.deps.emailRenderer.render(row!.template, row!.language, row!.data);
    expect(email.subject).toContain('Closing in less than 24 hours: MA-2026-0003');
    expect(email.text).toContain('/en/opportunities/MA-2026-0003');
    expect(email.text).toContain('/fr/occasions/MA-2026-0003');
    expect(w.t.missingKeys).toEqual([]);
  });

  it('reminds again when an extension moves the closing time, and never after the closing', async () => {
    const { db } = w.database;
    const later = new Date(CLOSES.getTime() + 7 * 24 * 3_600_000);
    await db('opportunities').where({ id: w.ids.closingSoon }).update({ closes_at: later });
    w.t.clock.set(new Date(later.getTime() - 2 * 3_600_000));
    expect(await remindWatchersOfClosing(db, w.t.clock)).toBe(1);
    w.t.clock.set(new Date(later.getTime() + 3_600_000));
    expect(await remindWatchersOfClosing(db, w.t.clock)).toBe(0);
    expect(await w.outbox('watch-closing-reminder')).toHaveLength(2);
  });
});

describe('answers to those who watch', () => {
  it('tells each watcher of a published answer, apart from the asker, who has their own email', async () => {
    w.t.clock.set('2026-11-25T15:00:00Z');
    const watcher = await w.signedIn('watcher@example.com');
    expect((await watcher.post(`${PAGE_EN}/watch`, { watch: 'yes' }, PAGE_EN)).status).toBe(303);
    const asker = await w.signedIn('sophie.fournier@example.com');
    expect((await asker.post(`${PAGE_EN}/watch`, { watch: 'yes' }, PAGE_EN)).status).toBe(303);
    const question = 'Is a README in both languages expected?';
    await asker.post(`${PAGE_EN}/questions`, { question }, PAGE_EN);
    const [row] = await w.questionRows();
    const client = await w.signedIn('client@esdc.example.ca');
    const answered = await client.post(ANSWERS_EN, {
      questionId: String(row.id),
      question_en: question,
      question_fr: 'Un fichier README dans les deux langues est-il attendu?',
      answer_en: 'Yes.',
      answer_fr: 'Oui.',
    });
    expect(answered.status).toBe(303);

    expect((await w.outbox('question-answered')).map((e) => e.recipient)).toEqual([
      'sophie.fournier@example.com',
    ]);
    const told = await w.outbox('answer-published');
    expect(told.map((e) => e.recipient)).toEqual(['watcher@example.com']);
    const email = w.t.deps.emailRenderer.render(told[0]!.template, 'en', told[0]!.data);
    expect(email.subject).toContain('New answer to a question: MA-2026-0001');
    expect(email.text).toContain('/en/opportunities/MA-2026-0001');
    expect(w.t.missingKeys).toEqual([]);
  });
});

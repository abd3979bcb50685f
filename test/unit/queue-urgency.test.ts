import { describe, expect, it } from 'vitest';
import { ageInDays, byUrgency, isOverdue, type Urgency } from '../../src/queues/urgency.ts';

/** Noon in Toronto on 10 December 2026. */
const now = new Date('2026-12-10T17:00:00Z');
const line = (name: string, since: string, dueOn: string | null) => ({
  name,
  waitingSince: new Date(since),
  dueOn,
});

describe('queue urgency', () => {
  it('is overdue only after the Eastern calendar day of its due date', () => {
    expect(isOverdue('2026-12-09', now)).toBe(true);
    expect(isOverdue('2026-12-10', now)).toBe(false);
    expect(isOverdue(null, now)).toBe(false);
    // 11 p.m. in Toronto on the 10th is already the 11th in UTC: still not overdue.
    expect(isOverdue('2026-12-10', new Date('2026-12-11T04:00:00Z'))).toBe(false);
  });

  it('counts whole days waited, never fewer than zero', () => {
    expect(ageInDays(new Date('2026-12-07T18:00:00Z'), now)).toBe(2);
    expect(ageInDays(new Date('2026-12-11T00:00:00Z'), now)).toBe(0);
  });

  it('sorts overdue first, then the nearest due date, then the oldest', () => {
    const lines: (Urgency & { name: string })[] = [
      line('no rule, oldest', '2026-11-01T12:00:00Z', null),
      line('due later', '2026-12-09T12:00:00Z', '2026-12-20'),
      line('overdue, recent', '2026-12-08T12:00:00Z', '2026-12-09'),
      line('due soon', '2026-12-10T12:00:00Z', '2026-12-12'),
      line('overdue, long ago', '2026-11-20T12:00:00Z', '2026-12-01'),
      line('no rule, recent', '2026-12-09T12:00:00Z', null),
    ];
    expect(lines.sort(byUrgency(now)).map((l) => l.name)).toEqual([
      'overdue, long ago',
      'overdue, recent',
      'due soon',
      'due later',
      'no rule, oldest',
      'no rule, recent',
    ]);
  });
});

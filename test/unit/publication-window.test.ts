import { describe, expect, it } from 'vitest';
import { defaultWindow, publicationWindow } from '../../src/publishing/window.ts';

const now = new Date('2026-03-06T15:00:00Z'); // Friday, 10:00 EST
const form = (values: Partial<Record<string, string>> = {}) => ({
  version: 1,
  openingDate: '2026-03-06',
  openingTime: '10:00',
  closingDate: '',
  closingTime: '',
  ...values,
});

describe('the publication window', () => {
  it('proposes opening now and the default closing, in Eastern time', () => {
    expect(defaultWindow(now)).toEqual({
      openingDate: '2026-03-06',
      openingTime: '10:00',
      closingDate: '2026-03-20',
      closingTime: '14:00',
    });
  });

  it('reads wall-clock times across the change to daylight time', () => {
    const window = publicationWindow(form(), now, '2026-04-30');
    // Ten business days after Friday March 6 is Friday March 20, after the March 8 change: EDT.
    expect(window).toEqual({
      ok: true,
      opensAt: new Date('2026-03-06T15:00:00Z'),
      closesAt: new Date('2026-03-20T18:00:00Z'),
    });
  });

  it('accepts an opening a few minutes old, not an older one', () => {
    expect(publicationWindow(form({ openingTime: '09:50' }), now, null).ok).toBe(true);
    expect(publicationWindow(form({ openingTime: '09:40' }), now, null)).toMatchObject({
      ok: false,
      problems: [{ field: 'openingDate', key: 'publishing.errors.openingPast' }],
    });
  });

  it('needs both closing fields or neither, a closing after the opening and before the due date', () => {
    expect(publicationWindow(form({ closingDate: '2026-03-20' }), now, null)).toMatchObject({
      ok: false,
      problems: [{ field: 'closingTime' }],
    });
    expect(
      publicationWindow(form({ closingDate: '2026-03-06', closingTime: '10:00' }), now, null),
    ).toMatchObject({ ok: false, problems: [{ key: 'publishing.errors.closingBeforeOpening' }] });
    expect(publicationWindow(form(), now, '2026-03-20')).toMatchObject({
      ok: false,
      problems: [{ key: 'publishing.errors.dueBeforeClosing', values: { due: '2026-03-20' } }],
    });
    expect(publicationWindow(form(), now, '2026-03-21').ok).toBe(true);
  });
});

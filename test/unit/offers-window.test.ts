import { describe, expect, it } from 'vitest';
import { respondBy } from '../../src/offers/window.ts';

describe('the time to answer an offer', () => {
  it('runs to the end of the third business day after the offer, in Eastern time', () => {
    // Friday 4 December 2026, 8 p.m. in Ottawa (already Saturday in UTC).
    expect(respondBy(new Date('2026-12-05T01:00:00Z'))).toEqual(
      new Date('2026-12-10T04:59:59.999Z'),
    );
  });

  it('does not count the holidays: Christmas and the observed Boxing Day', () => {
    // Wednesday 23 December: Thursday 24, then Tuesday 29 and Wednesday 30 (Monday 28 observed).
    expect(respondBy(new Date('2026-12-23T15:00:00Z'))).toEqual(
      new Date('2026-12-31T04:59:59.999Z'),
    );
  });

  it('follows the change of time: a summer offer ends at 23:59:59 EDT', () => {
    // Monday 6 July 2026: Thursday 9 July ends at 03:59:59.999 UTC on the 10th.
    expect(respondBy(new Date('2026-07-06T14:00:00Z'))).toEqual(
      new Date('2026-07-10T03:59:59.999Z'),
    );
  });
});

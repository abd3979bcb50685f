import { describe, expect, it } from 'vitest';
import { parseDollars } from '../../src/platform/money.ts';

describe('parseDollars', () => {
  it('reads English and French ways of writing an amount, as integer cents', () => {
    expect(parseDollars('6500')).toBe(650_000);
    expect(parseDollars('6,500')).toBe(650_000);
    expect(parseDollars('6,500.00')).toBe(650_000);
    expect(parseDollars('$6,500.5')).toBe(650_050);
    expect(parseDollars('6 500')).toBe(650_000);
    expect(parseDollars('6\u00a0500,00 $')).toBe(650_000);
    expect(parseDollars('6500,5')).toBe(650_050);
    expect(parseDollars('6,50')).toBe(650);
    expect(parseDollars(' 10000.00 ')).toBe(1_000_000);
    expect(parseDollars('0.01')).toBe(1);
  });

  it('refuses what it cannot read without guessing', () => {
    for (const text of [
      '',
      'abc',
      '6.500,00',
      '6,500,0',
      '6 5 0 0',
      '65.001',
      '-5',
      '1e4',
      '12,34,567',
    ]) {
      expect(parseDollars(text), text).toBeUndefined();
    }
    expect(parseDollars('9'.repeat(30))).toBeUndefined();
  });

  it('refuses an amount longer than anyone types before reading it, in linear time (M1)', () => {
    const started = performance.now();
    for (const space of [' ', '\u00a0', '\u202f']) {
      expect(parseDollars(`1${space.repeat(190_000)}1`)).toBeUndefined();
      expect(parseDollars(`$${space.repeat(190_000)}5`)).toBeUndefined();
    }
    expect(performance.now() - started).toBeLessThan(50);
    expect(parseDollars(`${' '.repeat(30)}6 500,00 $`)).toBe(650_000);
    expect(parseDollars(`${' '.repeat(31)}6 500,00 $`)).toBeUndefined();
  });
});

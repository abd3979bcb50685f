import { describe, expect, it } from 'vitest';
import { changedPairs, flagOf, isBlocking, type FieldPair } from '../../src/translation/fields.ts';

const pair = (en: string, fr: string, kind: FieldPair['kind'] = 'title'): FieldPair => ({
  key: kind,
  kind,
  en,
  fr,
});

describe('the translation editor’s flags', () => {
  it('says which language is missing, ignoring spaces', () => {
    expect(flagOf(pair('Fix it', '  '))).toBe('missing_fr');
    expect(flagOf(pair('\n', 'Corriger'))).toBe('missing_en');
    expect(flagOf(pair('', ''))).toBe('missing_both');
  });

  it('warns when both languages read the same, without blocking', () => {
    expect(flagOf(pair('TypeScript ', ' TypeScript'))).toBe('identical');
    expect(isBlocking('identical')).toBe(false);
    expect(flagOf(pair('Fix it', 'Corriger'))).toBeUndefined();
  });

  it('blocks skills lists of different lengths, as the publishing guard does', () => {
    expect(flagOf(pair('Python\nSQL', 'Python', 'skills'))).toBe('lines_differ');
    expect(isBlocking('lines_differ')).toBe(true);
    expect(flagOf(pair('Python\n\nSQL\n', 'Python\nSQL', 'skills'))).toBe('identical');
  });

  it('finds the pairs that changed, skills compared line by line', () => {
    const saved = [pair('Fix it', 'Corriger'), pair('Python\nSQL', 'Python\nSQL', 'skills')];
    const typed = [
      pair('Fix it', 'Corriger le bogue'),
      pair('Python\n SQL\n', 'Python\nSQL', 'skills'),
    ];
    expect(changedPairs(saved, typed).map((p) => p.key)).toEqual(['title']);
  });
});

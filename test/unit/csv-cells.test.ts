import { describe, expect, it } from 'vitest';
import { csvCell, csvDocument } from '../../src/feeds/csv.ts';

describe('the disclosure CSV’s cells', () => {
  it('quote every cell and double the quotes inside', () => {
    expect(csvCell('Plain')).toBe('"Plain"');
    expect(csvCell('Say "hi", then\r\nleave')).toBe('"Say ""hi"", then\r\nleave"');
    expect(csvCell(null)).toBe('""');
    expect(csvCell(6500.5)).toBe('"6500.5"');
  });

  it('defuse what a spreadsheet would run as a formula', () => {
    for (const attack of ['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) {
      expect(csvCell(attack).startsWith(`"'`), attack).toBe(true);
    }
    expect(csvCell('Café = bon')).toBe('"Café = bon"');
  });

  it('write a UTF-8 byte order mark, then one CRLF-ended record per row', () => {
    expect(csvDocument(['a', 'b'], [['1', null]])).toBe('\uFEFF"a","b"\r\n"1",""\r\n');
  });
});

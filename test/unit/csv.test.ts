import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvDocument, csvDollars } from '../../src/platform/csv.ts';

const cells = (value: string | number | null) => csvDocument(['a'], [[value]]).split('\r\n')[1];

describe('the CSV the app writes', () => {
  it('quotes every cell and doubles the quotes inside', () => {
    expect(cells('Plain')).toBe('"Plain"');
    expect(csvDocument(['a'], [['Say "hi", then\r\nleave']])).toContain(
      '"Say ""hi"", then\r\nleave"',
    );
    expect(cells(null)).toBe('""');
    expect(cells(6500.5)).toBe('"6500.5"');
  });

  it('defuses what a spreadsheet would run as a formula', () => {
    for (const attack of ['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) {
      const [, row] = parse(csvDocument(['a'], [[attack]]), { bom: true }) as string[][];
      expect(row![0], attack).toBe(`'${attack}`);
    }
    expect(cells('Café = bon')).toBe('"Café = bon"');
  });

  it('writes a UTF-8 byte order mark, then one CRLF-ended record per row, that a CSV reader reads back', () => {
    const text = csvDocument(['a', 'b'], [['1', null]]);
    expect(text).toBe('\uFEFF"a","b"\r\n"1",""\r\n');
    expect(parse(text, { bom: true })).toEqual([
      ['a', 'b'],
      ['1', ''],
    ]);
  });

  it('writes amounts as dollars with a dot and two decimals', () => {
    expect([csvDollars(650_000), csvDollars(5), csvDollars(747_550)]).toEqual([
      '6500.00',
      '0.05',
      '7475.50',
    ]);
  });
});

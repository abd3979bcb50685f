import { stringify } from 'csv-stringify/sync';

/**
 * THE way the app writes CSV (exports, disclosure, card statements): csv-stringify, every cell
 * quoted, CRLF between records, a UTF-8 byte order mark first (spreadsheets then read accents
 * and « » right; a CSV reader skips it). A cell a spreadsheet would run as a formula (it starts
 * with = + - @, a tab or a carriage return) gets a leading apostrophe, as OWASP advises.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

type Cell = string | number | null | undefined;

function defused(value: Cell): string {
  const text = value === null || value === undefined ? '' : String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export function csvDocument(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return stringify(
    [header, ...rows].map((cells) => cells.map(defused)),
    { bom: true, quoted: true, quoted_empty: true, record_delimiter: 'windows' },
  );
}

/** An amount in cents as programs read it: dollars with a dot, two decimals ("6500.00"). */
export function csvDollars(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

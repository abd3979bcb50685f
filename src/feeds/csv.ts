/**
 * CSV as RFC 4180 writes it (no CSV library is a dependency here): every cell quoted, quotes
 * doubled, CRLF between records. A cell that a spreadsheet would run as a formula (it starts
 * with = + - @, or a tab or carriage return) gets a leading apostrophe, as OWASP advises.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return `"${text.replaceAll('"', '""')}"`;
}

/**
 * The whole file, with a byte order mark first: spreadsheets then read it as UTF-8 (accents,
 * « »), and a CSV reader skips it.
 */
export function csvDocument(header: string[], rows: (string | number | null)[][]): string {
  const lines = [header, ...rows].map((cells) => cells.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

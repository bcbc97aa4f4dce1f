/**
 * What makes a spreadsheet read a cell as a formula (OWASP "CSV injection"):
 * = + - @ at the start, and tab or carriage return, which some spreadsheets
 * skip before looking. Such cells get a leading apostrophe.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One RFC 4180 cell: quoted when it holds a quote, comma or line break; quotes doubled. */
export function csvCell(value: string | undefined): string {
  if (value === undefined) return '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: ReadonlyArray<string | undefined>): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

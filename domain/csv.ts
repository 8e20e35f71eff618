// CSV for spreadsheets (RFC 4180: comma separated, CRLF rows, quotes doubled inside quoted cells).
// A text cell that starts with = + - @ (or a tab or carriage return) is read by Excel, Sheets and
// LibreOffice as a formula: a contact named "=HYPERLINK(...)" would run in the supervisor's spreadsheet.
// Such cells get a leading apostrophe, which spreadsheets show as plain text.
// https://owasp.org/www-community/attacks/CSV_Injection

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [header, ...rows].map(row => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

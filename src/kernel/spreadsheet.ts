/**
 * A spreadsheet reads a cell starting with = + - @ (or a tab or carriage return) as a formula:
 * such text gets a leading apostrophe (OWASP "CSV injection"). Numbers pass as they are.
 */
export function spreadsheetSafe(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

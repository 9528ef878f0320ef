// Readers of the registration pages' HTML and CSV exports, shared by the registrations tests.

/** The text of an HTML fragment, its entities read back. */
export const decoded = (html: string) =>
  html.replace(/&(lt|gt|quot|amp|#39|#34|#x27);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', amp: '&', '#39': "'", '#34': '"', '#x27': "'" })[e]!);

/** The confirmation page's recap, as label and value pairs (null: the page has none). */
export function recapOf(html: string): [string, string][] | null {
  const section = /<section aria-labelledby="recap-title" class="reg-recap">([\s\S]*?)<\/section>/.exec(html)?.[1];
  if (!section) return null;
  return [...section.matchAll(/<dt>([\s\S]*?)<\/dt><dd>([\s\S]*?)<\/dd>/g)].map((m) => [decoded(m[1]!), decoded(m[2]!)]);
}

/** A form field's error message, as shown under it (undefined: none). */
export const fieldError = (html: string, name: string) => new RegExp(`<p class="field-error" id="f-${name}-error">([^<]*)</p>`).exec(html)?.[1];

/** An export's cells by header, row by row (BOM, CRLF and `;` as the exports write them; no quoted `;` in the tests' values). */
export function csvRows(csv: string): Record<string, string>[] {
  const [head, ...lines] = csv.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
  const headers = head!.split(';');
  return lines.map((line) => Object.fromEntries(line.split(';').map((cell, i) => [headers[i]!, cell])));
}

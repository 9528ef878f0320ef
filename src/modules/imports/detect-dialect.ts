import type { TextDetection } from './types.js';

/** The separators detected, and offered to a person who reads the file otherwise. */
export const DELIMITERS = [';', ',', '\t', '|'] as const;
const SAMPLE_RECORDS = 40;

/** Splits a text sample into records, a double-quoted field may span lines; the last (maybe cut) record is dropped unless complete. */
function sampleRecords(text: string, complete: boolean): string[] {
  const records: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length && records.length < SAMPLE_RECORDS; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) {
      records.push(text.slice(start, i));
      if (c === '\r' && text[i + 1] === '\n') i++;
      start = i + 1;
    }
  }
  if (complete && records.length < SAMPLE_RECORDS && start < text.length) records.push(text.slice(start));
  // A sample cut inside the first record still has a header to look at.
  if (records.length === 0 && text.length) records.push(text);
  return records.filter((r) => r.trim().length > 0);
}

function countOutsideQuotes(record: string, delimiter: string): number {
  let count = 0;
  let quoted = false;
  for (const c of record) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === delimiter) count++;
  }
  return count;
}

function lineEnding(text: string): TextDetection['lineEnding'] {
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lf = (text.match(/(?<!\r)\n/g) ?? []).length;
  const cr = (text.match(/\r(?!\n)/g) ?? []).length;
  if (crlf >= lf && crlf >= cr && crlf > 0) return 'crlf';
  if (cr > lf) return 'cr';
  return 'lf';
}

/** The quote character: a double quote wrapping some field; a single quote only when it wraps fields and double quotes never do. */
function quoteOf(records: string[], delimiter: string): TextDetection['quote'] {
  const d = delimiter.replace(/[|\\^$.*+?()[\]{}]/g, '\\$&');
  const wraps = (q: string) => {
    const pattern = new RegExp(`(^|${d})${q}[^${q}]*${q}(?=${d}|$)`, 'g');
    return records.reduce((sum, r) => sum + (r.match(pattern) ?? []).length, 0);
  };
  if (records.some((r) => r.includes('"')) && wraps('"') > 0) return '"';
  if (wraps("'") > 1 && wraps('"') === 0) return "'";
  return records.some((r) => r.includes('"')) ? '"' : null;
}

/**
 * The separator, quoting and line ending of a CSV text sample: the candidate (`;`, `,`, tab,
 * `|`) found in the header that splits the most records into the header's number of fields.
 */
export function detectDialect(text: string, complete: boolean): Omit<TextDetection, 'encoding' | 'bom'> {
  const records = sampleRecords(text, complete);
  const header = records[0] ?? '';
  const rows = records.slice(1);
  let best: { delimiter: string; score: number; fields: number } = { delimiter: ',', score: -1, fields: 0 };
  for (const delimiter of DELIMITERS) {
    const fields = countOutsideQuotes(header, delimiter);
    if (fields === 0) continue;
    const consistent = rows.length ? rows.filter((r) => countOutsideQuotes(r, delimiter) === fields).length / rows.length : 1;
    // Consistency first; among equally consistent candidates, the one making more columns.
    const score = consistent * 1000 + Math.min(fields, 999);
    if (score > best.score) best = { delimiter, score, fields };
  }
  return { delimiter: best.delimiter, quote: quoteOf(records.slice(0, 20), best.delimiter), lineEnding: lineEnding(text.slice(0, 65_536)) };
}

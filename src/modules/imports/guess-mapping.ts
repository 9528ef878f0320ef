import { EMAIL_PATTERN } from '../../kernel/validation.js';
import { CONTACT_WORDS, HEADER_SYNONYMS, HEADER_TOKEN_RULES, keyOf } from './synonyms.js';
import { type ColumnMapping, type MappingDocument, type Separator, SEPARATORS, type Target } from './types.js';
import type { Vocabulary } from './vocabulary.js';

let exactHeaders: Map<string, Target> | null = null;

function exactHeader(key: string): Target | undefined {
  if (!exactHeaders) {
    exactHeaders = new Map();
    for (const [field, keys] of Object.entries(HEADER_SYNONYMS) as [Target, string[]][]) {
      for (const k of keys) if (!exactHeaders.has(keyOf(k))) exactHeaders.set(keyOf(k), field);
    }
  }
  return exactHeaders.get(key);
}

/** The target a header most likely stands for, or null. */
export function guessTarget(header: string): Target | null {
  const key = keyOf(header);
  const exact = exactHeader(key);
  if (exact) return exact;
  const words = new Set(key.split(' '));
  for (const rule of HEADER_TOKEN_RULES) {
    if (rule.all.every((group) => group.some((w) => words.has(w)))) return rule.field;
  }
  if ([...words].some((w) => CONTACT_WORDS.has(w)) && words.size <= 2) return 'contact_name';
  return null;
}

function splitBy(value: string, separator: Separator | undefined): string[] {
  if (!separator) return [value.trim()].filter(Boolean);
  return value
    .split(separator)
    .map((v) => v.trim())
    .filter(Boolean);
}

/** Splits a cell of a multi-valued column. */
export function splitCell(value: string, separator: Separator | undefined): string[] {
  return splitBy(value, separator);
}

/**
 * The separator of a multi-valued column, from sample cells: the one whose pieces are known
 * values most often (so a comma inside a theme label does not split it), none if no cell holds one.
 */
function guessSeparator(values: string[], known: (piece: string) => boolean): Separator | undefined {
  let best: { separator: Separator | undefined; score: number } = { separator: undefined, score: -Infinity };
  for (const separator of [undefined, ...SEPARATORS]) {
    if (separator && !values.some((v) => v.includes(separator))) continue;
    let score = 0;
    for (const v of values) for (const piece of splitBy(v, separator)) score += known(piece) ? 1 : -2;
    if (score > best.score) best = { separator, score };
  }
  return best.separator;
}

/** The year a header names ("Adhérent 2016"), or null. */
export function yearOf(header: string): number | null {
  const match = /\b(19\d{2}|20\d{2})\b/.exec(header);
  return match ? Number(match[1]) : null;
}

/**
 * A first mapping of a file from its headers and sample rows: each header to a target (French
 * and English synonyms), the separator of multi-valued columns, and the codes of the kinds and
 * membership values seen in the sample. The user (or a saved mapping) corrects it.
 */
export function guessMapping(headers: string[], sample: string[][], vocabulary: Vocabulary): MappingDocument {
  const columns: Record<string, ColumnMapping> = {};
  const taken = new Set<Target>();
  const guesses = headers.map((h) => guessTarget(h));
  // Exact synonyms first, so "E-mail" keeps `email` even if a vaguer header comes before it.
  const order = headers.map((_, i) => i).sort((a, b) => Number(!exactHeader(keyOf(headers[a]!))) - Number(!exactHeader(keyOf(headers[b]!))));
  for (const i of order) {
    const target = guesses[i];
    const header = headers[i]!;
    if (!target || taken.has(target)) {
      columns[header] = { field: 'ignore' };
      continue;
    }
    taken.add(target);
    columns[header] = { field: target };
  }
  // "Nom contact" without a first-name column holds the whole name.
  if (taken.has('contact_last_name') && !taken.has('contact_first_name') && !taken.has('contact_name')) {
    for (const spec of Object.values(columns)) if (spec.field === 'contact_last_name') spec.field = 'contact_name';
  }

  let membershipYear: number | null = null;
  headers.forEach((header, i) => {
    const spec = columns[header]!;
    const cells = sample.map((r) => (r[i] ?? '').trim()).filter(Boolean);
    switch (spec.field) {
      case 'countries':
        spec.split = guessSeparator(cells, (p) => vocabulary.country(p) !== null);
        break;
      case 'themes':
        spec.split = guessSeparator(cells, (p) => vocabulary.themes.match(p) !== null);
        break;
      case 'zones':
        spec.split = guessSeparator(cells, (p) => vocabulary.zones.match(p) !== null);
        break;
      case 'sdgs':
        spec.split = guessSeparator(cells, (p) => vocabulary.sdg(p) !== null);
        break;
      case 'contact_email':
        spec.split = guessSeparator(cells, (p) => EMAIL_PATTERN.test(p));
        break;
      case 'kind': {
        const values: Record<string, string> = {};
        for (const cell of new Set(cells)) {
          const code = vocabulary.kinds.match(cell);
          if (code) values[cell] = code;
        }
        spec.values = values;
        break;
      }
      case 'is_member': {
        const values: Record<string, string> = {};
        for (const cell of new Set(cells)) {
          const yes = vocabulary.boolean(cell);
          if (yes !== null) values[cell] = yes ? '1' : '0';
        }
        spec.values = values;
        membershipYear = yearOf(header);
        break;
      }
      default:
        break;
    }
    if (spec.split === undefined) delete spec.split;
  });
  // Columns in file order, for people reading the JSON.
  const ordered: Record<string, ColumnMapping> = {};
  for (const h of headers) ordered[h] = columns[h]!;
  return { version: 1, columns: ordered, membershipYear, visibility: 'public' };
}

/**
 * The one normaliser of search text, applied to what is indexed and to what is typed, so both
 * dialects (SQLite FTS5, PostgreSQL tsvector 'simple') match alike: lower case, accents and
 * ligatures folded, punctuation dropped, French stop words removed, light plural stemming.
 */

const STOP_WORDS = new Set([
  'a', 'au', 'aux', 'avec', 'ce', 'ces', 'd', 'dans', 'de', 'des', 'du', 'en', 'et', 'l', 'la', 'le', 'les',
  'leur', 'leurs', 'ou', 'par', 'pour', 'qu', 'que', 'qui', 'sa', 'se', 'ses', 'sur', 'un', 'une', 'the', 'of', 'and',
]);

const LIGATURES: Record<string, string> = { œ: 'oe', Œ: 'oe', æ: 'ae', Æ: 'ae', ß: 'ss' };

export function foldText(text: string): string {
  return text
    .replace(/[œŒæÆß]/g, (c) => LIGATURES[c] ?? c)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase();
}

/** Light French stemming: plural endings only, so "associations" ≡ "association", "eaux" ≡ "eau". */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith('eaux')) return word.slice(0, -1);
  if (word.endsWith('aux') && word.length > 4) return `${word.slice(0, -3)}al`;
  if (word.endsWith('s') || word.endsWith('x')) return word.slice(0, -1);
  return word;
}

/** Splits folded text into search tokens (letters and digits), without stop words, stemmed. */
export function searchTokens(text: string): string[] {
  return foldText(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0 && !STOP_WORDS.has(t))
    .map(stem);
}

/** The text stored in the index column. */
export function indexText(...parts: (string | null | undefined)[]): string {
  return searchTokens(parts.filter(Boolean).join(' ')).join(' ');
}

import type { NormalisedName } from './normalise-name.js';
import { boundedEditDistance, jaroWinkler } from './similarity.js';
import type { TokenStats } from './token-stats.js';

/** Two words are the same word misspelt at or above this Jaro-Winkler similarity (long words only). */
export const WORD_MATCH = 0.9;

export function wordSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  // Short words and numbers must be equal: "Dax" and "Pau" are not typos of each other.
  const la = a.length;
  const lb = b.length;
  if (la < 4 || lb < 4 || Math.min(la, lb) / Math.max(la, lb) < 0.6 || /\d/.test(a) || /\d/.test(b)) return 0;
  const s = jaroWinkler(a, b);
  return s >= WORD_MATCH ? s : 0;
}

/** A name's tokens without the words of its commune's name (misspelt ones too). */
export function withoutCommuneWords(tokens: readonly string[], communeWords: readonly string[]): string[] {
  return tokens.filter((t) => !communeWords.some((w) => wordSimilarity(t, w) > 0));
}

function matchedMass(from: readonly string[], to: readonly string[], stats: TokenStats): { matched: number; total: number } {
  let matched = 0;
  let total = 0;
  for (const token of from) {
    const w = stats.weight(token);
    total += w;
    let best = to.includes(token) ? 1 : 0;
    for (let k = 0; best < 1 && k < to.length; k++) {
      const s = wordSimilarity(token, to[k]!);
      if (s > best) best = s;
    }
    matched += w * best;
  }
  return { matched, total };
}

/**
 * Names that differ by a typo or two: the words of both names (doubled letters undone); the words
 * found on both sides set aside, what differs (glued together, so a word glued to or split from
 * another still compares) must be one edit apart, or one per four letters, two at most —
 * "Mergnac Hue" / "MergnacHue", "aobab" / "Baobab", "Socp" / "Scop", "eds" / "des", but not
 * "Thiès" / "Hué".
 */
export function typoSimilarity(wordsA: readonly string[], wordsB: readonly string[]): number {
  const a = wordsA;
  const b = wordsB;
  let lengthA = 0;
  let lengthB = 0;
  for (const w of a) lengthA += w.length;
  for (const w of b) lengthB += w.length;
  // What differs differs at least by the difference in length: beyond two edits, no typo.
  if (Math.abs(lengthA - lengthB) > 2) return 0;
  const remaining = new Map<string, number>();
  for (const w of b) remaining.set(w, (remaining.get(w) ?? 0) + 1);
  const residueA: string[] = [];
  for (const w of a) {
    const left = remaining.get(w) ?? 0;
    if (left > 0) remaining.set(w, left - 1);
    else residueA.push(w);
  }
  const residueB: string[] = [];
  for (const w of b) {
    const left = remaining.get(w) ?? 0;
    if (left > 0) {
      remaining.set(w, left - 1);
      residueB.push(w);
    }
  }
  const total = Math.max(lengthA, lengthB);
  if (total === 0) return 0;
  const ra = residueA.join('');
  const rb = residueB.join('');
  if (ra === rb) return 1;
  const budget = Math.min(2, Math.max(1, Math.floor(Math.max(ra.length, rb.length) / 4)));
  const distance = boundedEditDistance(ra, rb, budget);
  return distance <= budget ? 1 - distance / total : 0;
}

/**
 * Similarity of two normalised names in [0, 1]: the IDF-weighted share of words found in the
 * other name, misspelt words counting by their Jaro-Winkler similarity (a symmetric soft TF-IDF),
 * or — when higher — the names as a whole when one or two typos apart, which sees words glued or
 * split ("MergnacHue") and misspelt short words ("Socp", "dde").
 *
 * `local`: for two records of one commune, their tokens without the commune's name, which a
 * local organisation's name often repeats and which then says nothing ("Comité de jumelage
 * Tartas–Lomé" / "…–Labé").
 */
export function nameSimilarity(a: NormalisedName, b: NormalisedName, stats: TokenStats, local?: { a: readonly string[]; b: readonly string[] }): number {
  if (a.compact === b.compact) return 1;
  const ta = local ? local.a : a.tokens;
  const tb = local ? local.b : b.tokens;
  let tokens = 0;
  if (ta.length && tb.length) {
    const ab = matchedMass(ta, tb, stats);
    const ba = matchedMass(tb, ta, stats);
    tokens = (ab.matched + ba.matched) / (ab.total + ba.total);
  } else if (!ta.length && !tb.length) {
    // Nothing but the commune's name on both sides.
    tokens = a.tokens.length && b.tokens.length ? 1 : 0;
  }
  if (tokens === 1) return 1;
  return Math.max(tokens, typoSimilarity(a.words, b.words), typoSimilarity(a.rawWords, b.rawWords));
}

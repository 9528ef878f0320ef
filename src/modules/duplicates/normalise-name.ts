import { foldText, searchTokens, stem } from '../../kernel/search/normalise.js';
import { boundedEditDistance } from './similarity.js';

/**
 * Organisation names, normalised for comparison: case, accents and ligatures folded, `&` read as
 * `et`, punctuation and hyphens as spaces, French stop words dropped, plurals stemmed (the search
 * normaliser), then the usual variants of one name made equal: `Asso`/`Assoc.` → `association`,
 * `St`/`Ste` → `saint`/`sainte`, `Mairie de X`/`Ville de X`/`Commune de X` → `commune X`, and
 * legal forms (SARL, SAS…) dropped.
 */

/** The short forms of names the engine reads as the word they stand for (the merge's defaults read them too). */
export const NAME_ABBREVIATIONS: Readonly<Record<string, string>> = {
  asso: 'association',
  assoc: 'association',
  st: 'saint',
  ste: 'sainte',
  cie: 'compagnie',
};

/** Legal forms say how an organisation is incorporated, not which one it is. */
export const LEGAL_FORMS = new Set(['sarl', 'sas', 'sasu', 'eurl', 'sa', 'sca', 'sci', 'snc', 'selarl', 'scop', 'scic', 'sem', 'spl', 'gie', 'eirl']);

const LOCAL_AUTHORITY_WORDS = ['mairie', 'ville', 'commune'];
const OF = new Set(['de', 'd', 'du', 'des']);

/**
 * `Mairie de X`, `Ville d'X`, `Commune du X` all name the local authority of commune X: they
 * become `commune X`. Either word may be misspelt by one letter ("Vlle de X", "Ville ed X"),
 * unless `exact`.
 */
function localAuthorityOf(words: string[], exact = false): string[] | null {
  if (words.length < 3) return null;
  const [first, second] = [words[0]!, words[1]!];
  if (first === 'hotel' && second === 'de' && words[2] === 'ville') return words.length > 4 ? ['commune', ...words.slice(4)] : null;
  const authority = exact ? LOCAL_AUTHORITY_WORDS.includes(first) : first.length >= 4 && LOCAL_AUTHORITY_WORDS.some((w) => boundedEditDistance(first, w, 1) <= 1);
  const of = OF.has(second) || (!exact && second.length <= 3 && boundedEditDistance(second, 'de', 1) <= 1 && searchTokens(second).length > 0);
  return authority && of ? ['commune', ...words.slice(2)] : null;
}

/** Doubled letters are a common misspelling ("jummelage", "Tisseraands", "dde"): one is enough. */
export function undouble(word: string): string {
  return word.replace(/(.)\1+/g, '$1');
}

export interface NormalisedName {
  /** Significant tokens in their order (no stop words, no legal forms), variants made equal. */
  tokens: string[];
  /** Every word of the normalised name (stop words kept), variants made equal, doubled letters undone. */
  words: string[];
  /** Every word of the name as typed, folded, doubled letters undone. */
  rawWords: string[];
  /** The normalised name's letters and digits, without spaces. */
  compact: string;
  /** The name as typed, folded, letters and digits only. */
  raw: string;
}

function foldWords(name: string): string[] {
  return foldText(name)
    .replace(/&/g, ' et ')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

export function normaliseName(name: string): NormalisedName {
  const plain = foldWords(name);
  const words = (localAuthorityOf(plain) ?? plain).map((w) => NAME_ABBREVIATIONS[w] ?? w).filter((w) => !LEGAL_FORMS.has(w));
  const tokens = searchTokens(words.join(' ')).map((t) => NAME_ABBREVIATIONS[t] ?? t).filter((t) => !LEGAL_FORMS.has(t));
  const stemmed = words.map(stem);
  const normalisedWords = stemmed.map(undouble);
  const rawWords = plain.map(undouble);
  const compact = stemmed.join('');
  const raw = plain.join('');
  // Most names are their own normalised form: one copy each (a full scan holds 50,000 of them).
  const sameWords = rawWords.length === normalisedWords.length && rawWords.every((w, i) => w === normalisedWords[i]);
  return { tokens, words: normalisedWords, rawWords: sameWords ? normalisedWords : rawWords, compact: compact === raw ? raw : compact, raw };
}

/** A name's folded words with the usual variants made equal, but no plural stemmed and no misspelling forgiven. */
function spelledWords(name: string): string[] {
  const plain = foldWords(name);
  return (localAuthorityOf(plain, true) ?? plain).map((w) => NAME_ABBREVIATIONS[w] ?? w).filter((w) => !LEGAL_FORMS.has(w));
}

/**
 * Whether two names are the same name, not only close ones: spelt alike once case, accents,
 * punctuation and the usual variants (`Asso`, `Mairie de X`/`Ville de X`, legal forms) are set
 * aside. Names the normaliser makes equal may still differ by a letter ("Racines"/"Racine",
 * "Vlle"/"Ville", "EauVive"/"Eau Vive"): those are not the same name.
 */
export function sameSpelling(a: string, b: string): boolean {
  const x = spelledWords(a);
  const y = spelledWords(b);
  return x.length === y.length && x.every((w, i) => w === y[i]);
}

/** The letters of an acronym as typed ("A.B.C.", "a b c" → "abc"), or null when it is not one. */
export function normaliseAcronym(acronym: string | null): string | null {
  if (!acronym) return null;
  const letters = foldText(acronym).replace(/[^a-z0-9]/g, '');
  return letters.length >= 2 && letters.length <= 12 ? letters : null;
}

/**
 * Initials of a name's words, without and with stop words: "Association Bernard pour Kaédi" →
 * "abk" and "abpk".
 */
export function nameInitials(name: string): { significant: string; all: string } {
  const words = foldWords(name);
  return {
    significant: searchTokens(words.join(' '))
      .map((w) => w[0])
      .join(''),
    all: words
      .filter((w) => w !== 'd' && w !== 'l')
      .map((w) => w[0])
      .join(''),
  };
}

/**
 * An acronym matches a name when it equals its initials, or — acronyms often skip generic
 * words — when it is a subsequence of the initials that keeps the first and the last.
 */
export function acronymMatchesName(acronym: string, initials: { significant: string; all: string }): boolean {
  if (acronym.length < 2 || !/^[a-z]/.test(acronym)) return false;
  if (acronym === initials.significant || acronym === initials.all) return true;
  if (acronym.length < 3 || acronym[0] !== initials.all[0] || acronym.at(-1) !== initials.all.at(-1)) return false;
  let i = 0;
  for (const c of initials.all) if (c === acronym[i]) i++;
  return i === acronym.length;
}

/** The acronym a name is, when it is only one ("ADO", "A.B.K."), or null. */
export function nameIsAcronym(name: string): string | null {
  const trimmed = name.trim();
  if (!/^[A-Z0-9.&\s-]{2,14}$/.test(trimmed) || !/[A-Z]/.test(trimmed) || trimmed.replace(/[^A-Z0-9]/g, '').length > 10) return null;
  return normaliseAcronym(trimmed);
}

/** The words of a commune's name, as name tokens ("Saint-Médard-en-Jalles" → saint, medard, jalle). */
export function communeTokens(communeName: string | null): string[] {
  return communeName ? searchTokens(communeName.replace(/\bSte?\b/gi, (s) => (s.length === 2 ? 'saint' : 'sainte'))) : [];
}

import { foldText } from '../../kernel/search/normalise.js';
import { NAME_ABBREVIATIONS } from '../duplicates/index.js';

/**
 * The usual short forms of French names and addresses, folded, with the word each stands for:
 * « Assoc. » for « association », « r. » for « rue », « bd » for « boulevard »…
 */
const SHORT_FORMS: Record<string, readonly string[]> = {
  // The names' short forms, as the duplicate engine reads them; then the addresses'.
  ...Object.fromEntries(Object.entries(NAME_ABBREVIATIONS).map(([short, word]) => [short, [word]])),
  r: ['rue'],
  av: ['avenue'],
  ave: ['avenue'],
  bd: ['boulevard'],
  bld: ['boulevard'],
  bvd: ['boulevard'],
  pl: ['place'],
  ch: ['chemin'],
  chem: ['chemin'],
  imp: ['impasse'],
  rte: ['route'],
  all: ['allee'],
  crs: ['cours'],
  fg: ['faubourg'],
  fbg: ['faubourg'],
  sq: ['square'],
  qu: ['quai'],
  pass: ['passage'],
  res: ['residence'],
  resid: ['residence'],
  bat: ['batiment'],
  gal: ['general'],
  mal: ['marechal'],
  pdt: ['president'],
  dr: ['docteur'],
};

interface Word {
  text: string;
  /** Written with a full stop after it (« Assoc. », « r. »): a word cut short. */
  dotted: boolean;
}

/** The folded words of a text, each marked when a full stop ends it. */
function wordsOf(text: string): Word[] {
  return [...foldText(text).matchAll(/[\p{L}\p{N}]+(\.)?/gu)].map((m) => ({ text: m[0].replace(/\.$/, ''), dotted: m[1] !== undefined }));
}

/** Whether `short`'s letters appear in `long`, in order, starting with the same one (« bd » in « boulevard »). */
function lettersIn(short: string, long: string): boolean {
  if (short[0] !== long[0]) return false;
  let i = 0;
  for (const c of long) if (c === short[i]) i++;
  return i === short.length;
}

/**
 * Whether `short` is `long` cut short: a usual short form of it (« assoc », « r »), or a word
 * written with a full stop whose letters are `long`'s, in order (« Coop. », « Gén. »). A word merely
 * shorter is no sign: « Racine » and « Racines », « Saucats » and « Saucaats » differ by a letter,
 * and which one is right is not a matter of length.
 */
function abbreviates(short: Word, long: Word): boolean {
  if (short.text.length >= long.text.length || /\d/.test(short.text)) return false;
  if (SHORT_FORMS[short.text]?.includes(long.text)) return true;
  return short.dotted && lettersIn(short.text, long.text);
}

/**
 * Which of two writings of one thing has its words complete (positive: `a`, negative: `b`, 0:
 * neither): word for word the same once folded, except where one writes a word in full that the
 * other cuts short (« Association Passerelles » and « Assoc. Passerelles », « 27 rue de la Paix »
 * and « 27 r. de la Paix »). Two texts whose words differ otherwise, or which both cut a word the
 * other writes in full, are not told apart here.
 */
export function completeWords(a: string, b: string): number {
  const [x, y] = [wordsOf(a), wordsOf(b)];
  if (x.length !== y.length) return 0;
  let aFull = 0;
  let bFull = 0;
  for (let i = 0; i < x.length; i++) {
    const [u, v] = [x[i]!, y[i]!];
    if (u.text === v.text) continue;
    if (abbreviates(v, u)) aFull++;
    else if (abbreviates(u, v)) bFull++;
    else return 0;
  }
  return aFull > 0 && bFull === 0 ? 1 : bFull > 0 && aFull === 0 ? -1 : 0;
}

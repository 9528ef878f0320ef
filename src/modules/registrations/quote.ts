import type { Locale } from '../../kernel/i18n/index.js';

/** Quotation marks of each language: the first level, and the second for quotes inside quotes. */
const MARKS: Record<Locale, { open: string; close: string; innerOpen: string; innerClose: string }> = {
  // French typography: « » with a no-break space inside; “ ” inside them.
  fr: { open: '«\u00a0', close: '\u00a0»', innerOpen: '“', innerClose: '”' },
  en: { open: '“', close: '”', innerOpen: '‘', innerClose: '’' },
};

/** The whole text between one pair of quotes, nothing after the closing one: « Eau pour tous ». */
const WHOLLY_QUOTED: Record<Locale, RegExp> = {
  fr: /^«[^«»]*»$/,
  en: /^“[^“”]*”$/,
};

/**
 * An event's title quoted in a sentence of a registration email: « Journée de l’eau ». A title
 * already wholly between quotes is left as it is; quotes inside a title become the second level's
 * (« Rencontre “Eau pour tous” »), so the sentence never shows « « … » ».
 */
export function quotedTitle(title: string, locale: Locale): string {
  const text = title.trim();
  if (WHOLLY_QUOTED[locale].test(text)) return text;
  const m = MARKS[locale];
  const inner = locale === 'fr' ? text.replace(/«\s*/g, m.innerOpen).replace(/\s*»/g, m.innerClose) : text.replace(/“/g, m.innerOpen).replace(/”/g, m.innerClose);
  return `${m.open}${inner}${m.close}`;
}

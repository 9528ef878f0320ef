// A message template made text: plural branches chosen by the language's rules, parameters put in.
// Small on purpose: the command line uses it without loading the catalogues.
import type { Locale } from './index.js';
import { choosePlurals } from './plural.js';

const pluralRules: Record<Locale, Intl.PluralRules> = { fr: new Intl.PluralRules('fr-FR'), en: new Intl.PluralRules('en-GB') };
/** A plural's count as index.ts's `numberFormat(locale)` writes it (« 2 850 », "2,850"); not imported, to keep the catalogues unloaded. */
const countFormats: Record<Locale, Intl.NumberFormat> = { fr: new Intl.NumberFormat('fr-FR'), en: new Intl.NumberFormat('en-GB') };

/** The number a parameter stands for: given as a number, or already formatted in the language (« 23 623 », « 1,5 », "1,000"). */
function countOf(value: string | number, locale: Locale): number {
  if (typeof value === 'number') return value;
  const digits = value.replace(/[\s\u202f\u00a0]/g, '');
  return Number(locale === 'fr' ? digits.replace(',', '.') : digits.replaceAll(',', ''));
}

/** A word French elides before (« de », « que ») written just before a parameter. */
const ELIDABLE = /(^|[\s(«\u00a0\u202f])([Dd]e|[Qq]ue) \{(\w+)\}/g;
/** A value French elides before: a vowel, accented or not (not « h » nor « y »: « de Haute-Vienne » and « d’Hélène », « de Yaoundé » and « d’Yves » cannot be told apart). */
const VOWEL_START = /^[aeiouàâäéèêëîïôöùûüœæ]/i;

/** « de {name} » → « d’Aurélie », « que {name} » → « qu’Éloïse »: French elision before a value starting with a vowel. */
function elide(template: string, params: Record<string, string | number>): string {
  if (!template.includes(' {')) return template;
  return template.replace(ELIDABLE, (whole, before: string, word: string, name: string) => {
    const value = Object.hasOwn(params, name) ? params[name] : undefined;
    return typeof value === 'string' && VOWEL_START.test(value) ? `${before}${word.slice(0, -1)}’{${name}}` : whole;
  });
}

/**
 * A message template with its plural branches chosen by the language's rules and its parameters
 * put in: what the translator does with a catalogue entry, and the command line with its own lines.
 */
export function formatMessage(locale: Locale, template: string, params: Record<string, string | number>): string {
  const rules = pluralRules[locale];
  const chosen = choosePlurals(
    template,
    params,
    (value) => {
      const count = countOf(value, locale);
      return Number.isFinite(count) && rules.select(count) === 'one';
    },
    (value) => countFormats[locale].format(value),
  );
  const elided = locale === 'fr' ? elide(chosen, params) : chosen;
  return elided.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
}

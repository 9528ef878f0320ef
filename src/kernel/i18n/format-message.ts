// A message template made text: plural branches chosen by the language's rules, parameters put in.
// Small on purpose: the command line uses it without loading the catalogues.
import type { Locale } from './index.js';
import { choosePlurals } from './plural.js';

const pluralRules: Record<Locale, Intl.PluralRules> = { fr: new Intl.PluralRules('fr-FR'), en: new Intl.PluralRules('en-GB') };

/** The number a parameter stands for: given as a number, or already formatted in the language (« 23 623 », « 1,5 », "1,000"). */
function countOf(value: string | number, locale: Locale): number {
  if (typeof value === 'number') return value;
  const digits = value.replace(/[\s\u202f\u00a0]/g, '');
  return Number(locale === 'fr' ? digits.replace(',', '.') : digits.replaceAll(',', ''));
}

/**
 * A message template with its plural branches chosen by the language's rules and its parameters
 * put in: what the translator does with a catalogue entry, and the command line with its own lines.
 */
export function formatMessage(locale: Locale, template: string, params: Record<string, string | number>): string {
  const rules = pluralRules[locale];
  const chosen = choosePlurals(template, params, (value) => {
    const count = countOf(value, locale);
    return Number.isFinite(count) && rules.select(count) === 'one';
  });
  return chosen.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
}

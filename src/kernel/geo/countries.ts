import { createRequire } from 'node:module';
import countries from 'i18n-iso-countries';
import { foldText } from '../search/normalise.js';

const require = createRequire(import.meta.url);
countries.registerLocale(require('i18n-iso-countries/langs/fr.json'));
countries.registerLocale(require('i18n-iso-countries/langs/en.json'));

/** ISO 3166-1 alpha-2 codes with their French and English names. */
export function isCountryCode(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && countries.isValid(code);
}

export function countryName(code: string, locale: 'fr' | 'en' = 'fr'): string {
  return countries.getName(code, locale) ?? code;
}

/** Every country, sorted by its name in the locale. */
export function listCountries(locale: 'fr' | 'en' = 'fr'): { code: string; name: string }[] {
  return Object.entries(countries.getNames(locale, { select: 'official' }))
    .map(([code, name]) => ({ code, name }))
    .sort((a, b) => a.name.localeCompare(b.name, locale));
}

let byFoldedName: Map<string, string> | null = null;

/** A country typed by name, in French or English, with or without accents ("Senegal", "Sénégal"). */
export function countryCodeFromName(name: string): string | undefined {
  if (!byFoldedName) {
    byFoldedName = new Map();
    for (const locale of ['fr', 'en'] as const) {
      for (const [code, names] of Object.entries(countries.getNames(locale, { select: 'all' }))) {
        for (const n of [names].flat()) byFoldedName.set(foldText(n).trim(), code);
      }
    }
  }
  const trimmed = name.trim();
  if (/^[A-Za-z]{2}$/.test(trimmed) && isCountryCode(trimmed.toUpperCase())) return trimmed.toUpperCase();
  return byFoldedName.get(foldText(trimmed));
}

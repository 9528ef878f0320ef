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

/** Names the library spells otherwise than the country itself does (the codes stay ISO's). */
const DISPLAY_NAMES: Partial<Record<'fr' | 'en', Record<string, string>>> = {
  fr: { CI: 'Côte d’Ivoire' },
  en: { CI: 'Côte d’Ivoire' },
};

/** A name as shown: the country's own spelling where it differs, typographic apostrophes (« d’Amérique »). */
function displayName(code: string, name: string, locale: 'fr' | 'en'): string {
  return DISPLAY_NAMES[locale]?.[code] ?? name.replace(/'/g, '’');
}

export function countryName(code: string, locale: 'fr' | 'en' = 'fr'): string {
  const name = countries.getName(code, locale);
  return name ? displayName(code, name, locale) : code;
}

/** Every country, sorted by its name in the locale. */
export function listCountries(locale: 'fr' | 'en' = 'fr'): { code: string; name: string }[] {
  return Object.entries(countries.getNames(locale, { select: 'official' }))
    .map(([code, name]) => ({ code, name: displayName(code, name, locale) }))
    .sort((a, b) => a.name.localeCompare(b.name, locale));
}

/** A name as looked up: folded, apostrophes and hyphens as spaces (« Côte-d'Ivoire » ≡ « Côte d’Ivoire »). */
const nameKey = (name: string) => foldText(name).replace(/['’‘`´\-‐–]/g, ' ').replace(/\s+/g, ' ').trim();

let byFoldedName: Map<string, string> | null = null;

/** A country typed by name, in French or English, with or without accents ("Senegal", "Sénégal"). */
export function countryCodeFromName(name: string): string | undefined {
  if (!byFoldedName) {
    byFoldedName = new Map();
    for (const locale of ['fr', 'en'] as const) {
      for (const [code, names] of Object.entries(countries.getNames(locale, { select: 'all' }))) {
        for (const n of [names, displayName(code, [names].flat()[0] ?? '', locale)].flat()) if (n) byFoldedName.set(nameKey(n), code);
      }
    }
  }
  const trimmed = name.trim();
  if (/^[A-Za-z]{2}$/.test(trimmed) && isCountryCode(trimmed.toUpperCase())) return trimmed.toUpperCase();
  return byFoldedName.get(nameKey(trimmed));
}

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

/**
 * Countries as a text field shows them, the same in every form (calls, news, the watch): the name
 * then the code, « Mali (ML), Sénégal (SN) ». What is no code is shown as it is.
 */
export function countriesFieldText(codes: readonly string[], locale: 'fr' | 'en' = 'fr'): string {
  return codes.map((c) => (isCountryCode(c) ? `${countryName(c, locale)} (${c})` : c)).join(', ');
}

/** One part of a typed list: « Mali (ML) » (the code in brackets decides), « ML », « Mali », « Senegal ». */
function typedCountry(part: string): string | undefined {
  const bracketed = /\(([A-Za-z]{2})\)\s*$/.exec(part)?.[1]?.toUpperCase();
  if (bracketed && isCountryCode(bracketed)) return bracketed;
  return countryCodeFromName(part) ?? countryCodeFromName(part.replace(/\s*\([^()]*\)\s*$/, ''));
}

/**
 * A list of countries typed in a field, as countriesFieldText writes it or as people type it
 * (« SN, Mali », « Mali (ML) ; Burkina Faso »): their codes in order, without repeats; a part not
 * recognised comes back as `?` followed by what was typed. A name holding a comma (« Bonaire,
 * Saint-Eustache et Saba ») is read across it.
 */
export function countryCodesFromText(typed: string): string[] {
  const parts = typed
    .split(/[,;\n]/)
    .map((p) => p.trim())
    .filter(Boolean);
  const found: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    let code = typedCountry(part);
    if (!code && i + 1 < parts.length) {
      code = typedCountry(`${part}, ${parts[i + 1]}`);
      if (code) i++;
    }
    found.push(code ?? `?${part}`);
  }
  return [...new Set(found)];
}

import { countryName, isCountryCode } from '../../kernel/geo/countries.js';
import { localLabel, type Locale } from '../../kernel/i18n/index.js';
import type { NewsletterDeps } from './deps.js';
import * as repo from './repo.js';
import type { InterestOptions } from './views-shared.js';

/** The interests offered on the forms: the themes, and the countries where the directory's organisations work. */
export async function interestOptions(deps: Pick<NewsletterDeps, 'db'>, locale: Locale): Promise<InterestOptions> {
  const [themes, countries] = await Promise.all([repo.themeOptions(deps.db), repo.directoryCountryCodes(deps.db)]);
  return {
    themes: themes.map((th) => ({ value: th.code, label: localLabel(th, locale) })),
    countries: countries
      .filter(isCountryCode)
      .map((code) => ({ value: code, label: countryName(code, locale) }))
      .sort((a, b) => a.label.localeCompare(b.label, locale)),
  };
}

/** Only codes offered on the forms are kept, each once. */
export async function knownInterests(deps: Pick<NewsletterDeps, 'db'>, themes: readonly string[], countries: readonly string[]): Promise<{ themes: string[]; countries: string[] }> {
  const options = await interestOptions(deps, 'fr');
  const themeCodes = new Set(options.themes.map((o) => o.value));
  const countryCodes = new Set(options.countries.map((o) => o.value));
  return { themes: [...new Set(themes)].filter((c) => themeCodes.has(c)), countries: [...new Set(countries)].filter((c) => countryCodes.has(c)) };
}

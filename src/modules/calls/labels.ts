import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { countryName, listCountries } from '../../kernel/geo/countries.js';
import { findDepartment, listDepartments } from '../../kernel/geo/communes.js';
import { REGIONS, regionName } from '../../kernel/geo/regions.js';
import { localLabel, type Locale } from '../../kernel/i18n/index.js';
import { taxonomies } from '../organisations/index.js';

export interface Option {
  value: string;
  label: string;
}

/** Labels of the codes a call carries, in one language, and the options of the forms. */
export interface CallLabels {
  kind(code: string): string;
  theme(code: string): string;
  zone(code: string): string;
  country(code: string): string;
  region(code: string): string;
  department(code: string): string;
  kinds: Option[];
  themes: Option[];
  zones: Option[];
  countries: Option[];
  regions: Option[];
  departments: Option[];
  /** Zone → its countries (from the taxonomy). */
  zoneCountries: Map<string, string[]>;
}

export async function callLabels(db: Kysely<Database>, locale: Locale): Promise<CallLabels> {
  const t = await taxonomies(db);
  const pick = (x: { code: string; label_fr: string; label_en: string }) => ({ value: x.code, label: localLabel(x, locale) });
  const kinds = t.kinds.map(pick);
  const themes = t.themes.map(pick);
  const zones = t.zones.map(pick);
  const lookup = (options: Option[]) => {
    const map = new Map(options.map((o) => [o.value, o.label]));
    return (code: string) => map.get(code) ?? code;
  };
  const zoneCountries = new Map<string, string[]>();
  for (const r of t.zoneCountries) zoneCountries.set(r.zone_code, [...(zoneCountries.get(r.zone_code) ?? []), r.country_code]);
  return {
    kind: lookup(kinds),
    theme: lookup(themes),
    zone: lookup(zones),
    country: (code) => countryName(code, locale),
    region: (code) => regionName(code),
    department: (code) => {
      const d = findDepartment(code);
      return d ? `${d.name} (${d.code})` : code;
    },
    kinds,
    themes,
    zones,
    countries: listCountries(locale).map((c) => ({ value: c.code, label: c.name })),
    regions: Object.entries(REGIONS)
      .map(([value, label]) => ({ value, label }))
      .sort((a, b) => a.label.localeCompare(b.label, 'fr')),
    departments: listDepartments()
      .map((d) => ({ value: d.code, label: `${d.code} – ${d.name}` }))
      .sort((a, b) => a.value.localeCompare(b.value)),
    zoneCountries,
  };
}

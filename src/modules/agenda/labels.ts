// Labels of the agenda's filter values in one locale: event types and organisers from the agenda,
// themes, zones and SDGs from the directory's taxonomies, places from the kernel.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { findDepartment, listDepartments } from '../../kernel/geo/communes.js';
import { countryName } from '../../kernel/geo/countries.js';
import { localLabel, type Locale, translator } from '../../kernel/i18n/index.js';
import { taxonomies } from '../organisations/index.js';
import { eventCountryCodes, eventTypes, organiserOptions } from './repo.js';

type Entry = { code: string; label_fr: string; label_en: string };

export interface AgendaLabels {
  locale: Locale;
  type(code: string): string;
  theme(code: string): string;
  zone(code: string): string;
  sdg(code: number | string): string;
  department(code: string): string;
  country(code: string): string;
  options: {
    types: { value: string; label: string }[];
    themes: { value: string; label: string }[];
    zones: { value: string; label: string }[];
    departments: { value: string; label: string }[];
    organisers: { value: string; label: string }[];
    /** Only the countries some public event names, not all 250. */
    countries: { value: string; label: string }[];
  };
}

let typesCache: { at: number; value: Entry[] } | null = null;

export async function agendaLabels(db: Kysely<Database>, locale: Locale): Promise<AgendaLabels> {
  if (!typesCache || Date.now() - typesCache.at > 60_000) typesCache = { at: Date.now(), value: await eventTypes(db) };
  const [t, organisers, countryCodes] = await Promise.all([taxonomies(db), organiserOptions(db), eventCountryCodes(db)]);
  const label = (e: Entry) => localLabel(e, locale);
  const pick = (list: Entry[]) => {
    const map = new Map(list.map((e) => [e.code, label(e)]));
    return (code: string) => map.get(code) ?? code;
  };
  const asOptions = (list: Entry[]) => list.map((e) => ({ value: e.code, label: label(e) }));
  const sdg = pick(t.sdgs);
  const translate = translator(locale);
  return {
    locale,
    type: pick(typesCache.value),
    theme: pick(t.themes),
    zone: pick(t.zones),
    sdg: (code) => translate('org.sdg', { code, label: sdg(String(code)) }),
    department: (code) => {
      const d = findDepartment(code);
      return d ? `${d.name} (${d.code})` : code;
    },
    country: (code) => countryName(code, locale),
    options: {
      types: asOptions(typesCache.value),
      themes: asOptions(t.themes),
      zones: asOptions(t.zones),
      departments: listDepartments().map((d) => ({ value: d.code, label: `${d.name} (${d.code})` })),
      organisers: organisers.map((o) => ({ value: o.slug, label: o.name })),
      countries: countryCodes.map((code) => ({ value: code, label: countryName(code, locale) })).sort((a, b) => a.label.localeCompare(b.label, locale)),
    },
  };
}

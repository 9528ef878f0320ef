import { findDepartment } from '../../kernel/geo/communes.js';
import { countryName } from '../../kernel/geo/countries.js';
import { localLabel, type Locale, translator } from '../../kernel/i18n/index.js';
import type { taxonomies } from '../organisations/index.js';

export type TaxonomyLabels = Awaited<ReturnType<typeof taxonomies>>;

/** Labels of every facet value in one locale: taxonomies from the database, places from the kernel. */
export interface Labels {
  locale: Locale;
  kind(code: string): string;
  theme(code: string): string;
  zone(code: string): string;
  /** « ODD 6 : Eau propre et assainissement » (French, a no-break space before « : ») / "SDG 6: …" (English). */
  sdg(code: number | string): string;
  department(code: string): string;
  country(code: string): string;
  /** Taxonomy order, for facets that read best in a fixed order. */
  order: { kinds: string[]; themes: string[]; zones: string[] };
}

export function labelsFor(t: TaxonomyLabels, locale: Locale): Labels {
  const pick = (list: { code: string; label_fr: string; label_en: string }[]) => {
    const map = new Map(list.map((e) => [e.code, localLabel(e, locale)]));
    return (code: string) => map.get(code) ?? code;
  };
  const sdgLabel = pick(t.sdgs);
  const translate = translator(locale);
  return {
    locale,
    kind: pick(t.kinds),
    theme: pick(t.themes),
    zone: pick(t.zones),
    sdg: (code) => translate('org.sdg', { code, label: sdgLabel(String(code)) }),
    department: (code) => {
      const d = findDepartment(code);
      return d ? `${d.name} (${d.code})` : code;
    },
    country: (code) => countryName(code, locale),
    order: { kinds: t.kinds.map((k) => k.code), themes: t.themes.map((k) => k.code), zones: t.zones.map((k) => k.code) },
  };
}

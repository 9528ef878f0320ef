import { countryName } from '../../kernel/geo/countries.js';
import { localLabel, type Locale, type Translate } from '../../kernel/i18n/index.js';
import type { TaxonomyLabels } from './service.js';
import { visibilityLabel } from './visibility.js';

type Entry = { code: string; label_fr: string; label_en: string };

/** A taxonomy entry's label in the reader's language; the code itself when the entry is gone. */
export function taxonomyLabel(entries: readonly Entry[], code: string, locale: Locale): string {
  const e = entries.find((x) => x.code === code);
  return e ? localLabel(e, locale) : code;
}

function codes(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' && value ? [value] : [];
}

/**
 * A coded field of an organisation as people read it (a kind, themes, countries, visibility,
 * membership…), for histories and proposal diffs; undefined for a field shown as it is.
 */
export function organisationValueText(ctx: { t: Translate; locale: Locale }, labels: TaxonomyLabels, field: string, value: unknown): string | undefined {
  const label = (entries: Entry[], code: string) => taxonomyLabel(entries, code, ctx.locale);
  const labelled = (entries: Entry[]) => codes(value).map((c) => label(entries, c)).join(', ');
  switch (field) {
    case 'kind_code':
      return label(labels.kinds, String(value));
    case 'themes':
      return labelled(labels.themes);
    case 'zones':
      return labelled(labels.zones);
    case 'colleges':
      return labelled(labels.colleges);
    case 'sdgs':
      return codes(value).map((c) => ctx.t('org.sdg', { code: c, label: label(labels.sdgs, c) })).join(' ; ');
    case 'countries':
      return codes(value).map((c) => countryName(c, ctx.locale)).join(', ');
    case 'visibility':
      return visibilityLabel(ctx.t, value);
    case 'is_member':
      return ctx.t(value === true || value === 1 || value === '1' ? 'org.member.yes' : 'org.member.no');
    default:
      return undefined;
  }
}

import type { MessageKey, Translate } from '../../kernel/i18n/index.js';

/** Why two records may (or may not) be the same organisation: each piece of evidence and its weight. */
export type ReasonCode =
  | 'same_siren'
  | 'same_siren_unchecked'
  | 'near_siren'
  | 'different_siren'
  | 'same_rna'
  | 'different_rna'
  | 'same_insee'
  | 'different_insee'
  | 'same_email'
  | 'same_email_domain'
  | 'same_website'
  | 'email_domain_matches_website'
  | 'different_domains'
  | 'same_phone'
  | 'different_phone'
  | 'same_name'
  | 'names_very_close'
  | 'names_close'
  | 'names_different'
  | 'acronym_matches_name'
  | 'same_acronym'
  | 'different_acronyms'
  | 'same_commune'
  | 'same_postcode'
  | 'different_commune'
  | 'different_department'
  | 'same_kind'
  | 'different_kind';

export interface Reason {
  code: ReasonCode;
  /** Evidence in bits (log2 of a likelihood ratio): positive for, negative against. */
  weight: number;
  /** Name similarity in [0, 1], for the name reasons. */
  similarity?: number;
}

/** The reasons that name an identifier of the organisation (auto-merge needs one of them). */
export const IDENTIFIER_REASONS: ReadonlySet<ReasonCode> = new Set(['same_siren', 'same_rna', 'same_insee']);

const similarityFormat = new Map<string, Intl.NumberFormat>();

function formatSimilarity(value: number, locale: string): string {
  let format = similarityFormat.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    similarityFormat.set(locale, format);
  }
  // Never show 1,00 for names that are not identical.
  return format.format(value < 1 ? Math.min(value, 0.99) : 1);
}

/** The sentence shown to people for a reason (« même SIREN », « noms très proches (0,93) »). */
export function describeReason(reason: Reason, t: Translate, locale = 'fr-FR'): string {
  const key = `duplicates.reason.${reason.code}` as MessageKey;
  return t(key, reason.similarity === undefined ? undefined : { similarity: formatSimilarity(reason.similarity, locale) });
}

export function describeReasons(reasons: readonly Reason[], t: Translate, locale = 'fr-FR'): string[] {
  return reasons.map((r) => describeReason(r, t, locale));
}

import { type Locale, translator } from '../../kernel/i18n/index.js';
import { dayProblem } from '../../kernel/time/date-only.js';
import { ImportError } from './errors.js';
import { LEGAL_BASES, type LegalBasis, type LegalBasisChoice } from './types.js';

// The legal basis of imported contacts (chosen in the wizard's report step or with `maillage import
// --legal-basis …`); its date is a day without a time (kernel/time/date-only.ts).

/** The longest consent source (where and how it was collected), as the wizard's field allows. */
export const CONSENT_SOURCE_MAX = 200;

export interface LegalBasisInput {
  basis?: string;
  /** What the people were told or agreed to; by default, only what is known: the file and its source. */
  detail?: string;
  /** YYYY-MM-DD: when they were told (legitimate interest) or agreed (consent). Required for consent. */
  date?: string;
  /** For consent, required: where and how it was collected (a membership form…). */
  consentSource?: string;
}

/**
 * The legal basis chosen for the contacts of a file: a known basis, what the people were told or
 * agreed to, and when. The wizard and the command line take it alike, with the same default text:
 * what is known and nothing more (the file and its source; « informé le … » only with a date given
 * for a legitimate interest), never that people were informed when nobody said so. Consent needs
 * its date and its source, as in the wizard. The default is worded in `locale` (the wizard's page).
 */
export function legalBasisChoice(input: LegalBasisInput, file: { fileName: string; sourceName: string }, now: Date, locale: Locale = 'fr'): LegalBasisChoice {
  const t = translator(locale);
  const basis = (input.basis ?? 'legitimate_interest').trim();
  if (!(LEGAL_BASES as readonly string[]).includes(basis)) throw new ImportError('imports.error.legalBasis', { value: basis });
  const date = input.date?.trim() || undefined;
  if (date && dayProblem(date, now)) throw new ImportError('imports.error.legalDate', { value: date });
  const consentSource = input.consentSource?.trim() ?? '';
  if (consentSource.length > CONSENT_SOURCE_MAX) throw new ImportError('imports.error.consentSource');
  let detail = (input.detail ?? '').trim();
  if (basis === 'consent') {
    if (!date) throw new ImportError('imports.error.consentDate');
    if (!consentSource) throw new ImportError('imports.error.consentSource');
    detail = t('imports.consent.consentDetail', { detail: detail || t('imports.consent.consent'), source: consentSource });
  } else if (!detail) {
    const params = { file: file.fileName, source: file.sourceName, date: date ?? '' };
    detail = t(basis === 'legitimate_interest' && date ? 'imports.consent.defaultDetailDated' : 'imports.consent.defaultDetail', params);
  }
  if (detail.length > 1000) throw new ImportError('imports.error.legalDetail');
  return { basis: basis as LegalBasis, detail, ...(date ? { date } : {}) };
}

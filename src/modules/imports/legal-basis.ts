import { translator } from '../../kernel/i18n/index.js';
import { ImportError } from './errors.js';
import { LEGAL_BASES, type LegalBasis, type LegalBasisChoice } from './types.js';

/**
 * The legal basis chosen for the contacts of a file: a known basis, what the people were told or
 * agreed to (by default, that they come from this file of this source), and when.
 */
/** What is wrong with the date of a legal basis (YYYY-MM-DD, not after today), if anything. */
export function legalDateProblem(date: string, now: Date): 'invalid' | 'future' | null {
  const parsed = new Date(`${date}T12:00:00Z`);
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(date) && !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date;
  if (!valid) return 'invalid';
  return parsed.getTime() > now.getTime() + 86_400_000 ? 'future' : null;
}

export function legalBasisChoice(input: { basis?: string; detail?: string; date?: string }, file: { fileName: string; sourceName: string }, now: Date): LegalBasisChoice {
  const basis = (input.basis ?? 'legitimate_interest').trim();
  if (!(LEGAL_BASES as readonly string[]).includes(basis)) throw new ImportError('imports.error.legalBasis', { value: basis });
  const detail = (input.detail ?? '').trim() || translator('fr')('imports.consent.defaultDetail', { file: file.fileName, source: file.sourceName });
  if (detail.length > 1000) throw new ImportError('imports.error.legalDetail');
  const date = input.date?.trim();
  if (date && legalDateProblem(date, now)) throw new ImportError('imports.error.legalDate', { value: date });
  return { basis: basis as LegalBasis, detail, ...(date ? { date } : {}) };
}

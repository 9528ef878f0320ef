import { type Locale, numberFormat } from '../../kernel/i18n/index.js';

// Amounts are stored in integer cents and shown in euros as French readers write them
// ("15 000 €", "2 500,50 €"); typed amounts accept the same forms.

/** The largest amount accepted: ten billion euros. */
export const MAX_CENTS = 1_000_000_000_000;

/**
 * Cents of an amount typed in euros: "15000", "15 000", "15 000,50 €", "15.000", "1,5" (spaces,
 * non-breaking spaces and a final "€" allowed). Null when empty; undefined when not an amount.
 */
export function parseEuros(raw: string): number | null | undefined {
  const compact = raw.replace(/[\s\u00a0\u202f]/g, '').replace(/(€|eur|euros?)$/i, '');
  if (compact === '') return null;
  let normalised: string;
  if (/^\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(compact)) normalised = compact.replace(/\./g, '').replace(',', '.');
  else if (/^\d+([.,]\d{1,2})?$/.test(compact)) normalised = compact.replace(',', '.');
  else return undefined;
  const cents = Math.round(Number(normalised) * 100);
  return Number.isSafeInteger(cents) && cents <= MAX_CENTS ? cents : undefined;
}

/** "15 000 €" (whole euros without decimals), "2 500,50 €". */
export function formatEuros(cents: number, locale: Locale = 'fr'): string {
  const whole = cents % 100 === 0;
  return numberFormat(locale, {
    style: 'currency',
    currency: 'EUR',
    minimumFractionDigits: whole ? 0 : 2,
    maximumFractionDigits: whole ? 0 : 2,
  }).format(cents / 100);
}

/** An amount as the form shows it again ("15000", "2500,50"). */
export function eurosForForm(cents: number | null): string {
  if (cents === null) return '';
  const euros = Math.trunc(cents / 100);
  const rest = cents % 100;
  return rest === 0 ? String(euros) : `${euros},${String(rest).padStart(2, '0')}`;
}

/** "80 %". */
export function formatRate(percent: number, locale: Locale = 'fr'): string {
  return numberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(percent / 100);
}

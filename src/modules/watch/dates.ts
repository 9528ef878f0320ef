/**
 * Feed dates in the forms found in the wild: RFC 822/1123 (with named or numeric zones, with or
 * without weekday or seconds), ISO 8601 / RFC 3339 (with or without zone: UTC then), French
 * ("23 novembre 2026", "23/11/2026 09:00"), and what `Date.parse` reads. Implausible dates
 * (before 1990, or more than a year ahead) are treated as missing.
 */

const ZONES: Record<string, number> = {
  UT: 0, UTC: 0, GMT: 0, Z: 0, WET: 0, BST: 60, CET: 60, MET: 60, CEST: 120, MEST: 120, EET: 120, EEST: 180,
  EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420,
};

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
  janv: 1, janvier: 1, fevr: 2, fev: 2, fevrier: 2, mars: 3, avr: 4, avril: 4, mai: 5, juin: 6, juil: 7, juillet: 7,
  aout: 8, septembre: 9, octobre: 10, novembre: 11, decembre: 12, january: 1, february: 2, march: 3, april: 4,
  june: 6, july: 7, august: 8, september: 9, october: 10, november: 11, december: 12,
};

function offsetMinutes(zone: string | undefined): number | null {
  if (!zone) return 0;
  const upper = zone.toUpperCase();
  if (upper in ZONES) return ZONES[upper] ?? 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

function build(year: number, month: number, day: number, h: number, min: number, s: number, offset: number): Date | null {
  if (month < 1 || month > 12 || day < 1 || day > 31 || h > 24 || min > 59 || s > 60) return null;
  const ms = Date.UTC(year < 100 ? 2000 + year : year, month - 1, day, h, min, s) - offset * 60_000;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date;
}

function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\./g, '');
}

function parse(raw: string): Date | null {
  const text = raw.trim().replace(/\s+/g, ' ');
  if (text === '') return null;
  // ISO 8601 / RFC 3339, "T" or a space, optional seconds, fraction and zone.
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}:?\d{2}|[A-Za-z]{1,4})?)?$/.exec(text);
  if (m) {
    const offset = offsetMinutes(m[7]);
    if (offset === null) return null;
    return build(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), offset);
  }
  // RFC 822 and its variants: [Wed,] 18 Nov 2026 [00:00[:00]] [GMT|+0100]
  m = /^(?:[A-Za-zÀ-ÿ.]+,?\s+)?(\d{1,2})\s+([A-Za-zÀ-ÿ.]+)\s+(\d{2,4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?(?:\s+([A-Za-z]{1,5}|[+-]\d{2}:?\d{2}))?$/.exec(text);
  if (m) {
    const month = MONTHS[fold(m[2] ?? '')];
    const offset = offsetMinutes(m[7]);
    if (month && offset !== null) return build(Number(m[3]), month, Number(m[1]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), offset);
  }
  // French numeric: 23/11/2026 [09:00[:00]] (Europe/Paris is approximated as UTC+1).
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2})[:h](\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (m) return build(Number(m[3]), Number(m[2]), Number(m[1]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), 60);
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? null : new Date(parsed);
}

/** The date of a feed item, or null when absent, unreadable or implausible. */
export function parseFeedDate(raw: unknown, now: Date): Date | null {
  const value = raw instanceof Date ? raw : typeof raw === 'string' ? parse(raw) : null;
  if (!value || Number.isNaN(value.getTime())) return null;
  const year = value.getUTCFullYear();
  if (year < 1990 || value.getTime() > now.getTime() + 366 * 86_400_000) return null;
  return value;
}

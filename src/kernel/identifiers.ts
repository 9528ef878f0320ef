/** French identifiers and contact formats: checks and canonical forms shared by forms and imports. */

function digitsOnly(value: string): string {
  return value.replace(/[\s.\-_/]/g, '');
}

/** Luhn checksum, as used by SIREN (9 digits) and SIRET (14 digits). */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export type IdentifierCheck = { ok: true; value: string } | { ok: false; reason: 'format' | 'checksum'; raw: string };

/** SIREN: 9 digits with a valid Luhn key. A SIRET given instead yields its SIREN. */
export function checkSiren(raw: string): IdentifierCheck {
  const digits = digitsOnly(raw);
  const siren = digits.length === 14 ? digits.slice(0, 9) : digits;
  if (!/^\d{9}$/.test(siren)) return { ok: false, reason: 'format', raw };
  return luhnValid(siren) ? { ok: true, value: siren } : { ok: false, reason: 'checksum', raw };
}

/** SIRET: 14 digits, Luhn-valid (La Poste's establishments use another rule: sum of digits ≡ 0 mod 5). */
export function checkSiret(raw: string): IdentifierCheck {
  const digits = digitsOnly(raw);
  if (!/^\d{14}$/.test(digits)) return { ok: false, reason: 'format', raw };
  const laPoste = digits.startsWith('356000000');
  const valid = laPoste ? [...digits].reduce((s, d) => s + Number(d), 0) % 5 === 0 : luhnValid(digits);
  return valid ? { ok: true, value: digits } : { ok: false, reason: 'checksum', raw };
}

/** RNA (répertoire national des associations): W followed by 9 characters (digits, or a letter then digits in Alsace-Moselle-free legacy forms). */
export function checkRna(raw: string): IdentifierCheck {
  const value = raw.replace(/\s/g, '').toUpperCase();
  return /^W[0-9A-Z]\d{8}$/.test(value) ? { ok: true, value } : { ok: false, reason: 'format', raw };
}

/**
 * A French or international phone number to E.164: "05 56 00 00 00", "05.56.00.00.00",
 * "+33 (0)5 56 00 00 00", "0033556000000", "556000000" (leading 0 dropped) → "+33556000000".
 */
export function toE164(raw: string): string | null {
  let value = raw.trim().replace(/\(0\)/g, '').replace(/[\s.\-()/]/g, '');
  if (value.startsWith('00')) value = `+${value.slice(2)}`;
  if (/^0[1-9]\d{8}$/.test(value)) return `+33${value.slice(1)}`;
  if (/^[1-9]\d{8}$/.test(value)) return `+33${value}`;
  if (/^\+33[1-9]\d{8}$/.test(value)) return value;
  if (/^\+[1-9]\d{6,14}$/.test(value)) return value;
  return null;
}

/** "+33556000000" → "05 56 00 00 00"; other countries stay in E.164. */
export function formatPhone(e164: string): string {
  if (/^\+33\d{9}$/.test(e164)) {
    const national = `0${e164.slice(3)}`;
    return national.replace(/(\d{2})(?=\d)/g, '$1 ');
  }
  return e164;
}

/** A website as typed ("www.x.org", "x.org/", "HTTP://X.org") to a canonical https?:// URL, or null. */
export function normaliseWebsite(raw: string): string | null {
  let value = raw.trim();
  if (!value) return null;
  if (!/^https?:\/\//i.test(value)) value = `http://${value}`;
  try {
    const url = new URL(value);
    if (!['http:', 'https:'].includes(url.protocol) || !url.hostname.includes('.')) return null;
    url.hostname = url.hostname.toLowerCase();
    const text = url.toString();
    return url.pathname === '/' && !url.search && !url.hash ? text.replace(/\/$/, '') : text;
  } catch {
    return null;
  }
}

/** Lower-case slug from a name: "Comité de jumelage Le Temple–Cusco" → "comite-de-jumelage-le-temple-cusco". */
export function slugify(text: string): string {
  return (
    text
      .replace(/[œŒ]/g, 'oe')
      .replace(/[æÆ]/g, 'ae')
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/&/g, ' et ')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80)
      .replace(/-+$/g, '') || 'structure'
  );
}

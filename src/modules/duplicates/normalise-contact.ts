import { toE164 } from '../../kernel/identifiers.js';

/**
 * Contact details as evidence: an e-mail address (case-insensitive), the organisation's own domain
 * (from its e-mail when not a webmail, and from its website host), and its phone number.
 */

/** Mail providers whose domain says nothing about the organisation. */
export const WEBMAIL_DOMAINS = new Set([
  'gmail.com', 'googlemail.com', 'hotmail.com', 'hotmail.fr', 'live.fr', 'live.com', 'msn.com', 'outlook.com', 'outlook.fr',
  'yahoo.fr', 'yahoo.com', 'ymail.com', 'icloud.com', 'me.com', 'mac.com', 'aol.com', 'aol.fr', 'orange.fr', 'wanadoo.fr',
  'free.fr', 'sfr.fr', 'neuf.fr', 'cegetel.net', 'club-internet.fr', 'laposte.net', 'bbox.fr', 'numericable.fr', 'noos.fr',
  'aliceadsl.fr', 'libertysurf.fr', 'tele2.fr', 'voila.fr', 'netcourrier.com', 'gmx.fr', 'gmx.com', 'gmx.de', 'protonmail.com',
  'proton.me', 'mailo.com', 'zoho.com', 'yandex.com', 'mail.com', 'riseup.net',
]);

/** Sites hosting many organisations on one host, where the path names the organisation. */
const SHARED_HOSTS = new Set([
  'facebook.com', 'fb.com', 'm.facebook.com', 'instagram.com', 'twitter.com', 'x.com', 'linkedin.com', 'youtube.com',
  'helloasso.com', 'sites.google.com', 'google.com', 'fr-fr.facebook.com', 'associations.gouv.fr', 'net1901.org',
]);

export function emailKey(email: string | null): string | null {
  const value = email?.trim().toLowerCase();
  return value && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) ? value : null;
}

export function isWebmail(domain: string): boolean {
  return WEBMAIL_DOMAINS.has(domain) || /^(?:hotmail|yahoo|outlook|live|gmail)\.[a-z.]+$/.test(domain);
}

/** The domain of an e-mail address, unless it is a webmail's. */
export function emailDomain(email: string | null): string | null {
  const key = emailKey(email);
  if (!key) return null;
  const domain = key.slice(key.lastIndexOf('@') + 1).replace(/^www\./, '');
  return isWebmail(domain) ? null : domain;
}

/**
 * A website's host without scheme, `www.`, port or path ("HTTPS://www.x.org/" → "x.org"); on
 * shared hosts (social networks, HelloAsso…) the first path segment stays: it names the page.
 */
export function websiteHost(website: string | null): string | null {
  let value = website?.trim().toLowerCase();
  if (!value) return null;
  if (!/^[a-z][a-z0-9+.-]*:\/\//.test(value)) value = `http://${value}`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  const host = url.hostname.replace(/^www\./, '').replace(/\.$/, '');
  if (!host.includes('.')) return null;
  if (SHARED_HOSTS.has(host) || isWebmail(host)) {
    const first = url.pathname.split('/').find(Boolean);
    return first ? `${host}/${decodeURIComponent(first)}` : null;
  }
  return host;
}

/** A phone number to compare: E.164 when parseable ("05 56…", "+33 5 56…" alike), else its digits. */
export function phoneKey(phone: string | null): string | null {
  if (!phone) return null;
  const e164 = toE164(phone);
  if (e164) return e164;
  const digits = phone.replace(/\D/g, '');
  return digits.length >= 6 ? digits : null;
}

import net from 'node:net';
import { isBlockedAddress } from './http/safe-fetch.js';

export type WebLinkCheck = { ok: true; url: string } | { ok: false; local: boolean };

/**
 * A link to a public web page, as a person types it: http(s) only, a host name with a dot, and
 * not a local or private address (127.0.0.1, 192.168.x.x, 10.x.x.x, `*.localhost`…), which
 * would lead a visitor nowhere, or to their own machine. `defaultScheme` is prefixed when the
 * scheme is missing ("www.x.org"). `local` says why a link was refused.
 */
export function checkWebLink(raw: string, defaultScheme?: 'http' | 'https'): WebLinkCheck {
  const value = defaultScheme && !/^https?:\/\//i.test(raw) ? `${defaultScheme}://${raw}` : raw;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, local: false };
  }
  if (!['http:', 'https:'].includes(url.protocol) || !url.hostname.includes('.')) return { ok: false, local: false };
  const host = url.hostname.toLowerCase();
  if (host.endsWith('.localhost') || (net.isIP(host) === 4 && isBlockedAddress(host))) return { ok: false, local: true };
  return { ok: true, url: url.toString() };
}

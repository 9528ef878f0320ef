import { randomBytes } from 'node:crypto';
import Html from '@kitajs/html';
import { decodeEntities } from './blocks.js';

/**
 * Open and click tracking of a mailing (off by default, chosen per mailing). A tracked message
 * carries a 1×1 image at /lettre/o/:token.gif and its links go through /lettre/c/:token/:index,
 * where `token` is the recipient row's own random token and `index` the link's position in the
 * mailing's stored link list: the redirect's target is never read from the request.
 */

/** At most this many distinct links of one mailing are tracked; the others stay as written. */
export const MAX_TRACKED_LINKS = 500;
/** Longer links stay as written. */
const MAX_URL_LENGTH = 2000;

/** A recipient's tracking token (one per recipient row of a tracked mailing). */
export function newTrackToken(): string {
  return randomBytes(18).toString('base64url');
}

/** Anything else is refused before touching the database. */
export const TRACK_TOKEN_PATTERN = /^[A-Za-z0-9_-]{20,64}$/;
export const LINK_INDEX_PATTERN = /^(0|[1-9][0-9]{0,5})$/;

/** A transparent 1×1 GIF. */
export const PIXEL_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

export interface SiteLinks {
  /** BASE_URL without trailing slash. */
  baseUrl: string;
  /** The mailing's web version. */
  webUrl: string;
}

/** Pages of the person's own (unsubscribe, preferences) and tracking addresses: never tracked. */
const PERSONAL_PATHS = ['/desinscription/', '/preferences/', '/lettre/o/', '/lettre/c/'];

/** http(s) links only; not the web version, unsubscribe or preference links (mailto is not http). */
export function isTrackable(url: string, site: SiteLinks): boolean {
  if (!/^https?:\/\//i.test(url) || url.length > MAX_URL_LENGTH) return false;
  if (url === site.webUrl) return false;
  const lower = url.toLowerCase();
  return !PERSONAL_PATHS.some((path) => lower.startsWith(`${site.baseUrl}${path}`.toLowerCase()));
}

const ANCHOR = /<a\b[^>]*>/gi;
const HREF = /(\shref=")([^"]*)(")/i;

/** The distinct trackable links of an email's HTML, in order of first appearance (the stored list). */
export function trackableLinks(html: string, site: SiteLinks): string[] {
  const found = new Set<string>();
  for (const tag of html.match(ANCHOR) ?? []) {
    const href = HREF.exec(tag)?.[2];
    if (href === undefined) continue;
    const url = decodeEntities(href);
    if (isTrackable(url, site)) found.add(url);
    if (found.size >= MAX_TRACKED_LINKS) break;
  }
  return [...found];
}

/**
 * The email with each link of `links` pointing at the click counter and the open pixel before
 * `</body>`; `marker` stands for the recipient's token, filled in per message. Links not in the
 * list (personal links, mailto, links beyond the cap) are left as they are.
 */
export function withTracking(html: string, links: readonly string[], site: SiteLinks, marker: string): string {
  const positions = new Map(links.map((url, i) => [url, i]));
  const rewritten = html.replace(ANCHOR, (tag) =>
    tag.replace(HREF, (whole: string, open: string, href: string, close: string) => {
      const url = decodeEntities(href);
      const position = positions.get(url);
      if (position === undefined || !isTrackable(url, site)) return whole;
      return `${open}${Html.escapeHtml(`${site.baseUrl}/lettre/c/${marker}/${position}`)}${close}`;
    }),
  );
  const pixel = `<img src="${Html.escapeHtml(`${site.baseUrl}/lettre/o/${marker}.gif`)}" width="1" height="1" alt="">`;
  const end = rewritten.lastIndexOf('</body>');
  return end === -1 ? `${rewritten}${pixel}` : `${rewritten.slice(0, end)}${pixel}${rewritten.slice(end)}`;
}

/**
 * The Location of a click's redirect: the stored link as written when it is plain ASCII, else
 * its normalised form (a header cannot carry other characters); null for anything but http(s).
 */
export function redirectTarget(url: string): string | null {
  if (!/^https?:\/\//i.test(url)) return null;
  if (/^[\x21-\x7e]+$/.test(url)) return url;
  try {
    return new URL(url).href;
  } catch {
    return null;
  }
}

import { foldText } from '../../kernel/search/normalise.js';

/** Query parameters that only track a click: dropped from stored links and from dedupe keys. */
const TRACKING = /^(utm_[a-z_]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|xtor|at_[a-z_]+|_hsenc|_hsmi|mkt_tok|igshid|yclid|ref_src|spm|oly_[a-z_]+|vero_[a-z_]+|wt\.mc_id)$/i;

/** `href` made absolute against `base`; only http(s) links survive (null otherwise). */
export function absoluteUrl(href: string | null | undefined, base: string | null | undefined): string | null {
  const raw = (href ?? '').trim();
  if (raw === '') return null;
  let url: URL;
  try {
    url = base ? new URL(raw, base) : new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return url.href;
}

/** The link without tracking parameters (kept otherwise as published). */
export function cleanLink(href: string): string {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return href;
  }
  for (const name of [...url.searchParams.keys()]) if (TRACKING.test(name)) url.searchParams.delete(name);
  if ([...url.searchParams.keys()].length === 0) url.search = '';
  return url.href;
}

/**
 * The dedupe key of a link: scheme-less, host lower case without `www.`, no fragment, no tracking
 * parameters, the other parameters sorted, no trailing slash.
 */
export function linkKey(href: string | null): string | null {
  if (!href) return null;
  let url: URL;
  try {
    url = new URL(cleanLink(href));
  } catch {
    return null;
  }
  url.hash = '';
  url.searchParams.sort();
  const host = url.hostname.toLowerCase().replace(/^www\./, '');
  const port = url.port ? `:${url.port}` : '';
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const search = url.searchParams.toString();
  return `${host}${port}${path}${search ? `?${search}` : ''}`.slice(0, 1000);
}

/** The third dedupe key: folded title and the day of the item. */
export function titleKey(title: string, day: string | null): string {
  const folded = foldText(title).replace(/[^\p{L}\p{N}]+/gu, ' ').trim().slice(0, 300);
  return `${folded}|${day ?? ''}`;
}

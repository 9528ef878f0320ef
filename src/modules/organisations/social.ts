import type { FieldProblem } from './validate.js';

/** The networks the form offers, in display order; stored as a JSON object network → URL. */
export const SOCIAL_NETWORKS = ['facebook', 'linkedin', 'instagram', 'mastodon', 'youtube', 'x', 'other'] as const;
export type SocialNetwork = (typeof SOCIAL_NETWORKS)[number];
/** Network → URL: the networks above, and any other name older or imported data carries. */
export type SocialLinks = Record<string, string>;

/** Form field of a network's link: `social_facebook`… */
export const socialField = (network: SocialNetwork) => `social_${network}` as const;

const MAX_LENGTH = 500;

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}

/**
 * A link as typed → an http(s) URL, or null when it is not one. "www.facebook.com/x" gains
 * https://; a Mastodon handle "@nom@instance.social" becomes its profile address.
 */
export function normaliseSocialUrl(network: SocialNetwork, raw: string): string | null {
  let value = raw.trim();
  const handle = network === 'mastodon' ? /^@?([\w.-]+)@([\w-]+(?:\.[\w-]+)+)$/.exec(value) : null;
  if (handle) value = `https://${handle[2]!.toLowerCase()}/@${handle[1]}`;
  if (!/^[a-z][a-z0-9+.-]*:/i.test(value)) value = `https://${value}`;
  if (value.length > MAX_LENGTH || /\s/.test(value) || !isHttpUrl(value)) return null;
  return value;
}

/**
 * The social links of a submitted form (`social_<network>` fields). Undefined when the form has
 * none of those fields (an import row, an older proposal): the record's links then stay as they are.
 */
export function validateSocialLinks(raw: Record<string, unknown>, errors: Record<string, FieldProblem>): SocialLinks | undefined {
  if (!SOCIAL_NETWORKS.some((n) => socialField(n) in raw)) return undefined;
  const links: SocialLinks = {};
  for (const network of SOCIAL_NETWORKS) {
    const value = raw[socialField(network)];
    const text = typeof value === 'string' ? value.trim() : '';
    if (!text) continue;
    const url = normaliseSocialUrl(network, text);
    if (url) links[network] = url;
    else errors[socialField(network)] = { key: `org.error.social.${network}` };
  }
  return links;
}

/** Stored form: keys in display order (unknown ones after), null when there is no link. */
export function socialLinksJson(links: SocialLinks): string | null {
  const known = SOCIAL_NETWORKS.filter((n) => links[n]).map((n) => [n, links[n]!] as const);
  const others = Object.entries(links)
    .filter(([name, url]) => !isSocialNetwork(name) && url !== '')
    .sort(([a], [b]) => a.localeCompare(b));
  const all = [...known, ...others];
  return all.length ? JSON.stringify(Object.fromEntries(all)) : null;
}

/** The stored JSON → network → http(s) URL (anything else, or broken JSON, is left out). */
export function parseSocialLinks(json: string | null | undefined): Record<string, string> {
  if (!json) return {};
  try {
    const parsed = JSON.parse(json) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    const links: Record<string, string> = {};
    for (const [name, url] of Object.entries(parsed)) {
      if (typeof url === 'string' && isHttpUrl(url)) links[name] = url;
    }
    return links;
  } catch {
    return {};
  }
}

export function isSocialNetwork(name: string): name is SocialNetwork {
  return (SOCIAL_NETWORKS as readonly string[]).includes(name);
}

import { createHash } from 'node:crypto';
import { lazyRequire } from '../../kernel/lazy-require.js';
import { htmlToText, sanitiseRichText } from '../../kernel/html.js';
import { parseFeedDate } from './dates.js';
import { WatchFeedError } from './errors.js';
import { absoluteUrl, cleanLink } from './links.js';

const feedsmith = lazyRequire<typeof import('feedsmith')>('feedsmith');

/** Limits on what one feed may hold. */
export const PARSE_LIMITS = { maxItems: 1000, maxHtmlChars: 50_000, excerptChars: 400, titleChars: 500 } as const;

export interface ParsedItem {
  guid: string | null;
  link: string | null;
  title: string;
  summaryHtml: string | null;
  excerpt: string;
  author: string | null;
  /** null when the feed gives no usable date (the caller uses the fetch time). */
  publishedAt: Date | null;
  categories: string[];
  hash: string;
}

export interface ParsedFeed {
  format: 'rss' | 'atom' | 'json' | 'rdf';
  title: string | null;
  siteUrl: string | null;
  /** The feed's own address as it gives it (Atom or RSS `atom:link rel="self"`, JSON Feed's `feed_url`), absolute. */
  selfUrl: string | null;
  /** The feed's Atom id (`<feed><id>`), trimmed. */
  feedId: string | null;
  items: ParsedItem[];
}

type Loose = Record<string, unknown>;
const obj = (v: unknown): Loose => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Loose) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const str = (v: unknown): string | null => {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  const value = obj(v)['value'];
  return typeof value === 'string' ? value : null;
};

/**
 * XML is refused before parsing when it declares entities or an internal DTD subset (XXE,
 * "billion laughs"); the parser under feedsmith does not expand entities either, this is a second
 * fence. An HTML page served as a feed is refused by name.
 */
export function screenText(text: string): void {
  const head = text.slice(0, 2048).trimStart().toLowerCase();
  if (head.startsWith('<!doctype html') || head.startsWith('<html') || /^<\?xml[^>]*>\s*<html/.test(head)) {
    throw new WatchFeedError('not_feed', {}, 'an HTML page, not a feed');
  }
  const doctype = /<!doctype/i.exec(text);
  if (doctype) {
    const rest = text.slice(doctype.index, doctype.index + 100_000);
    const end = rest.indexOf('>');
    const bracket = rest.indexOf('[');
    if (/<!entity/i.test(text) || (bracket >= 0 && (end < 0 || bracket < end))) {
      throw new WatchFeedError('dtd', {}, 'a DTD with entity declarations');
    }
  }
}

/** `xml:base` of the root element and of each entry/item, in document order. */
function xmlBases(text: string): { root: string | null; items: (string | null)[] } {
  const attr = (tag: string) => /\sxml:base\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(tag);
  const rootTag = /<(?:feed|rss|rdf:RDF|channel)\b[^>]*>/i.exec(text)?.[0] ?? '';
  const rootMatch = attr(rootTag);
  const items: (string | null)[] = [];
  for (const m of text.matchAll(/<(?:entry|item)\b[^>]*>/gi)) {
    const found = attr(m[0]);
    items.push(found ? (found[1] ?? found[2] ?? null) : null);
  }
  return { root: rootMatch ? (rootMatch[1] ?? rootMatch[2] ?? null) : null, items };
}

/** Sanitised rich text whose links are absolute (relative ones resolved against `base`). */
function cleanHtml(html: string | null, base: string): string | null {
  if (!html || html.trim() === '') return null;
  const safe = sanitiseRichText(html.slice(0, PARSE_LIMITS.maxHtmlChars * 2));
  const resolved = safe.replace(/href="([^"]*)"/g, (_whole, href: string) => {
    const decoded = href.replace(/&amp;/g, '&');
    const absolute = absoluteUrl(decoded, base);
    return absolute ? `href="${absolute.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"` : 'href="#"';
  });
  return resolved.length > PARSE_LIMITS.maxHtmlChars ? sanitiseRichText(resolved.slice(0, PARSE_LIMITS.maxHtmlChars)) : resolved || null;
}

function firstWords(text: string, max = 12): string {
  const words = text.split(' ').filter(Boolean);
  const head = words.slice(0, max).join(' ');
  return words.length > max ? `${head}…` : head;
}

interface RawItem {
  guid: string | null;
  link: string | null;
  title: string | null;
  titleIsHtml: boolean;
  html: string | null;
  summary: string | null;
  author: string | null;
  date: unknown;
  categories: string[];
}

function rssItem(item: Loose): RawItem {
  const content = obj(item['content']);
  const dc = obj(item['dc']);
  const atom = obj(item['atom']);
  return {
    guid: str(item['guid']),
    link: str(item['link']) ?? str(arr(atom['links'])[0] && obj(arr(atom['links'])[0])['href']),
    title: str(item['title']) ?? str(arr(dc['titles'])[0]),
    titleIsHtml: true,
    html: str(content['encoded']) ?? str(item['description']),
    summary: str(item['description']),
    author: str(arr(dc['creators'])[0]) ?? str(arr(item['authors'])[0]),
    date: str(item['pubDate']) ?? str(arr(dc['dates'])[0]) ?? str(dc['date']),
    categories: arr(item['categories']).map((c) => str(obj(c)['name']) ?? str(c)).filter((c): c is string => Boolean(c)),
  };
}

function atomItem(entry: Loose): RawItem {
  const links = arr(entry['links']).map(obj);
  const alternate = links.find((l) => !l['rel'] || l['rel'] === 'alternate') ?? links[0];
  const content = obj(entry['content']);
  const summary = obj(entry['summary']);
  const textOf = (part: Loose) => {
    const value = str(part['value']);
    if (value === null) return null;
    return part['type'] === 'html' || part['type'] === 'xhtml' ? value : value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  };
  const title = obj(entry['title']);
  return {
    guid: str(entry['id']),
    link: alternate ? str(alternate['href']) : null,
    title: str(title['value']) ?? str(entry['title']),
    titleIsHtml: title['type'] === 'html' || title['type'] === 'xhtml',
    html: textOf(content) ?? textOf(summary),
    summary: textOf(summary),
    author: str(obj(arr(entry['authors'])[0])['name']),
    date: str(entry['published']) ?? str(entry['updated']),
    categories: arr(entry['categories']).map((c) => str(obj(c)['label']) ?? str(obj(c)['term'])).filter((c): c is string => Boolean(c)),
  };
}

function jsonItem(item: Loose): RawItem {
  const text = str(item['content_text']);
  return {
    guid: str(item['id']),
    link: str(item['url']) ?? str(item['external_url']),
    title: str(item['title']),
    titleIsHtml: false,
    html: str(item['content_html']) ?? (text ? text.replace(/&/g, '&amp;').replace(/</g, '&lt;') : null) ?? str(item['summary']),
    summary: str(item['summary']),
    author: str(obj(arr(item['authors'])[0])['name']) ?? str(obj(item['author'])['name']),
    date: str(item['date_published']) ?? str(item['date_modified']),
    categories: arr(item['tags']).map(str).filter((c): c is string => Boolean(c)),
  };
}

function normalise(raw: RawItem, base: string, now: Date, contentByLink: boolean): ParsedItem {
  const link = absoluteUrl(raw.link, base);
  // RSS has no xml:base: relative links in an item's HTML are read against the item's page.
  const summaryHtml = cleanHtml(raw.html, contentByLink && link ? link : base);
  const summaryText = htmlToText(raw.summary ?? raw.html ?? '');
  const excerpt = summaryText.length > PARSE_LIMITS.excerptChars ? `${summaryText.slice(0, PARSE_LIMITS.excerptChars).replace(/\s\S*$/, '')}…` : summaryText;
  const rawTitle = raw.title ?? '';
  let title = (raw.titleIsHtml ? htmlToText(rawTitle) : rawTitle.replace(/\s+/g, ' ').trim()).slice(0, PARSE_LIMITS.titleChars);
  if (title === '') title = firstWords(summaryText || htmlToText(summaryHtml ?? '')) || '(sans titre)';
  const guid = raw.guid?.trim() ? raw.guid.trim().slice(0, 1000) : null;
  const item = {
    guid,
    link: link ? cleanLink(link) : null,
    title,
    summaryHtml,
    excerpt,
    author: raw.author ? htmlToText(raw.author).slice(0, 200) || null : null,
    publishedAt: parseFeedDate(raw.date, now),
    categories: [...new Set(raw.categories.map((c) => htmlToText(c).slice(0, 100)).filter(Boolean))].slice(0, 20),
  };
  const hash = createHash('sha256')
    .update(JSON.stringify([item.guid, item.link, item.title, item.summaryHtml, item.author, item.publishedAt?.toISOString() ?? null, item.categories]))
    .digest('hex')
    .slice(0, 32);
  return { ...item, hash };
}

/**
 * Parses an RSS 2.0 / RSS 1.0 / Atom / JSON Feed document read from `feedUrl`: items with
 * absolute links (against `xml:base`, then the feed URL), sanitised HTML, dates or null, titles.
 */
export function parseFeedText(text: string, feedUrl: string, now: Date): ParsedFeed {
  screenText(text);
  let parsed;
  try {
    parsed = feedsmith().parseFeed(text);
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    const detail = error instanceof Error ? error.message : String(error);
    throw new WatchFeedError(name === 'DetectError' ? 'not_feed' : 'malformed', {}, detail);
  }
  const feed = obj(parsed.feed);
  const bases = parsed.format === 'json' ? { root: null, items: [] } : xmlBases(text);
  let rootBase = absoluteUrl(bases.root, feedUrl) ?? feedUrl;
  let rawItems: RawItem[];
  let siteLink: string | null;
  let title: string | null;
  let selfLink: string | null;
  let feedId: string | null = null;
  const selfOf = (links: unknown) => str((arr(links).map(obj).find((l) => l['rel'] === 'self') ?? {})['href']);
  if (parsed.format === 'atom') {
    rawItems = arr(feed['entries']).map((e) => atomItem(obj(e)));
    const links = arr(feed['links']).map(obj);
    siteLink = str((links.find((l) => !l['rel'] || l['rel'] === 'alternate') ?? {})['href']);
    title = str(feed['title']);
    selfLink = selfOf(links);
    feedId = str(feed['id']);
  } else if (parsed.format === 'json') {
    rawItems = arr(feed['items']).map((i) => jsonItem(obj(i)));
    siteLink = str(feed['home_page_url']);
    title = str(feed['title']);
    selfLink = str(feed['feed_url']);
  } else {
    rawItems = arr(feed['items']).map((i) => rssItem(obj(i)));
    siteLink = str(feed['link']);
    title = str(feed['title']);
    selfLink = selfOf(obj(feed['atom'])['links']);
  }
  // Without xml:base, RSS and JSON links are relative to the site (the channel's link), Atom's to the document.
  if (!bases.root && parsed.format !== 'atom') rootBase = absoluteUrl(siteLink, feedUrl) ?? feedUrl;
  if (rawItems.length > PARSE_LIMITS.maxItems) rawItems = rawItems.slice(0, PARSE_LIMITS.maxItems);
  const sameCount = bases.items.length === rawItems.length;
  const items = rawItems.map((raw, i) => {
    const itemBase = sameCount ? absoluteUrl(bases.items[i], rootBase) ?? rootBase : rootBase;
    return normalise(raw, itemBase, now, parsed.format !== 'atom');
  });
  return {
    format: parsed.format,
    title: title ? htmlToText(title).slice(0, 300) || null : null,
    siteUrl: absoluteUrl(siteLink, rootBase),
    selfUrl: absoluteUrl(selfLink, feedUrl),
    feedId: feedId?.trim() ? feedId.trim().slice(0, 500) : null,
    items,
  };
}

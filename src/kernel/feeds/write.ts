/**
 * Outgoing feeds (watch, news, calls, resources) as RSS 2.0 and Atom 1.0: well-formed XML (every
 * text escaped, control characters dropped), absolute links, RFC 822 dates in RSS and RFC 3339
 * dates in Atom.
 */

export interface OutItem {
  id: string;
  title: string;
  link: string | null;
  /** Sanitised HTML. */
  html: string | null;
  text: string;
  publishedAt: string;
  updatedAt: string;
  category: string | null;
  /** Who the item comes from: the watch source, the article's author, the funder… */
  source: string;
}

export interface OutFeed {
  title: string;
  description: string;
  /** Absolute URL of the HTML page. */
  pageUrl: string;
  /** Names the section in item ids (`urn:maillage:<section>:<id>`): `veille`, `actualites`… */
  section: string;
  /** Absolute URL of this feed. */
  selfUrl: string;
  /** Absolute URL of one item's anchor on the page (when it has no link of its own). */
  itemUrl: (id: string) => string;
  updatedAt: string;
  items: OutItem[];
}

/** XML 1.0 text: escaped, without the characters XML forbids. */
export function xmlText(value: string): string {
  return value
    // eslint-disable-next-line no-control-regex -- XML 1.0's allowed characters are defined by code points
    .replace(/[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const rfc822 = (iso: string) => new Date(iso).toUTCString();
const rfc3339 = (iso: string) => new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function renderRss(feed: OutFeed): string {
  const items = feed.items.map((item) => {
    const link = item.link ?? feed.itemUrl(item.id);
    return [
      '    <item>',
      `      <title>${xmlText(item.title)}</title>`,
      `      <link>${xmlText(link)}</link>`,
      `      <guid isPermaLink="false">${xmlText(`urn:maillage:${feed.section}:${item.id}`)}</guid>`,
      `      <pubDate>${rfc822(item.publishedAt)}</pubDate>`,
      `      <description>${xmlText(item.html ?? item.text)}</description>`,
      `      <source url="${xmlText(feed.selfUrl)}">${xmlText(item.source)}</source>`,
      item.category ? `      <category>${xmlText(item.category)}</category>` : '',
      '    </item>',
    ]
      .filter(Boolean)
      .join('\n');
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    '  <channel>',
    `    <title>${xmlText(feed.title)}</title>`,
    `    <link>${xmlText(feed.pageUrl)}</link>`,
    `    <description>${xmlText(feed.description)}</description>`,
    '    <language>fr</language>',
    `    <lastBuildDate>${rfc822(feed.updatedAt)}</lastBuildDate>`,
    `    <atom:link href="${xmlText(feed.selfUrl)}" rel="self" type="application/rss+xml"/>`,
    ...items,
    '  </channel>',
    '</rss>',
    '',
  ].join('\n');
}

export function renderAtom(feed: OutFeed): string {
  const entries = feed.items.map((item) => {
    const link = item.link ?? feed.itemUrl(item.id);
    return [
      '  <entry>',
      `    <id>${xmlText(`urn:maillage:${feed.section}:${item.id}`)}</id>`,
      `    <title type="text">${xmlText(item.title)}</title>`,
      `    <link rel="alternate" href="${xmlText(link)}"/>`,
      `    <published>${rfc3339(item.publishedAt)}</published>`,
      `    <updated>${rfc3339(item.updatedAt > item.publishedAt ? item.updatedAt : item.publishedAt)}</updated>`,
      `    <author><name>${xmlText(item.source)}</name></author>`,
      item.category ? `    <category term="${xmlText(item.category)}"/>` : '',
      `    <summary type="${item.html ? 'html' : 'text'}">${xmlText(item.html ?? item.text)}</summary>`,
      '  </entry>',
    ]
      .filter(Boolean)
      .join('\n');
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">',
    `  <id>${xmlText(feed.pageUrl)}</id>`,
    `  <title type="text">${xmlText(feed.title)}</title>`,
    `  <subtitle type="text">${xmlText(feed.description)}</subtitle>`,
    `  <updated>${rfc3339(feed.updatedAt)}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${xmlText(feed.selfUrl)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xmlText(feed.pageUrl)}"/>`,
    ...entries,
    '</feed>',
    '',
  ].join('\n');
}

import { xmlText } from '../../kernel/feeds/write.js';
import type { Kernel } from '../../kernel/http/types.js';
import type { SitemapEntry } from '../../kernel/module.js';

/** The sitemaps protocol's limit of URLs per file; past it, /sitemap.xml becomes an index of parts. */
export const SITEMAP_MAX_URLS = 50_000;

/** Every module's public pages, the home page first, each path once. */
export async function sitemapEntries(kernel: Kernel): Promise<SitemapEntry[]> {
  const lists = await Promise.all(kernel.sitemaps.map((source) => source(kernel)));
  const seen = new Set<string>();
  const entries: SitemapEntry[] = [];
  for (const entry of [{ path: '/' }, ...lists.flat()]) {
    if (seen.has(entry.path)) continue;
    seen.add(entry.path);
    entries.push(entry);
  }
  return entries;
}

const day = (iso: string) => new Date(iso).toISOString().slice(0, 10);

export function renderUrlSet(entries: SitemapEntry[], baseUrl: string): string {
  const urls = entries.map((e) =>
    [`  <url><loc>${xmlText(`${baseUrl}${e.path}`)}</loc>`, e.lastmod ? `<lastmod>${day(e.lastmod)}</lastmod>` : '', '</url>'].join(''),
  );
  return ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">', ...urls, '</urlset>', ''].join('\n');
}

export function renderSitemapIndex(parts: number, baseUrl: string): string {
  const items = Array.from({ length: parts }, (_, i) => `  <sitemap><loc>${xmlText(`${baseUrl}/sitemap.xml?partie=${i + 1}`)}</loc></sitemap>`);
  return ['<?xml version="1.0" encoding="UTF-8"?>', '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">', ...items, '</sitemapindex>', ''].join('\n');
}

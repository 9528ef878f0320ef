import { searchTokens } from '../../kernel/search/normalise.js';
import type { SearchSection } from '../../kernel/module.js';
import { searchArchive } from './repo.js';

/** Kept watch items in the site-wide search: the archive's own full-text search, newest first. */
export const watchSearchSection: SearchSection = {
  key: 'veille',
  label: 'search.section.watch',
  order: 50,
  async search(kernel, query, { limit, offset }) {
    const page = await searchArchive(kernel.db, kernel.dbHandle.dialect, { tokens: searchTokens(query).slice(0, 12) }, offset, limit);
    return {
      total: page.total,
      hits: page.items.map((item) => ({
        title: item.title,
        url: item.link ?? `/veille?q=${encodeURIComponent(query)}#v-${item.id}`,
        date: item.published_at,
        detail: item.source_name,
        excerpt: item.excerpt || undefined,
      })),
    };
  },
};

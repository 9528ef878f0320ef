import { excerptOf } from '../../kernel/html.js';
import type { SearchSection } from '../../kernel/module.js';
import { searchTokens } from '../../kernel/search/normalise.js';
import { translator } from '../../kernel/i18n/index.js';
import { kindLabelKey } from './kinds.js';
import { cardsOf } from './listing.js';
import * as repo from './repo.js';

/** Published resources in the site-wide search: their metadata and the words of their PDFs, newest first. */
export const resourcesSearchSection: SearchSection = {
  key: 'ressources',
  label: 'resources.search.section',
  order: 40,
  async search(kernel, query, options) {
    const tokens = [...new Set(searchTokens(query))].slice(0, 8);
    if (!tokens.length) return { total: 0, hits: [] };
    const { rows, total } = await repo.searchResources(kernel.db, kernel.dbHandle.dialect, { tokens, statuses: ['published'] }, { offset: options.offset, limit: options.limit, order: 'published' });
    const t = translator(options.locale ?? 'fr');
    const cards = await cardsOf(kernel, rows);
    return {
      total,
      hits: cards.map(({ resource: r, organisation }) => ({
        title: r.title,
        url: `/ressources/${encodeURIComponent(r.slug)}`,
        date: r.published_at ?? undefined,
        detail: [t(kindLabelKey(r.kind)), r.year ? String(r.year) : '', organisation?.name ?? ''].filter(Boolean).join(' · '),
        excerpt: r.summary ? excerptOf(r.summary) : undefined,
      })),
    };
  },
};

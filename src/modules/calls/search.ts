import type { SearchSection } from '../../kernel/module.js';
import { searchTokens } from '../../kernel/search/normalise.js';
import * as repo from './repo.js';
import { callPath } from './types.js';

/** Calls in the site-wide search: published calls whose funder, title, summary or description match. */
export const callsSearchSection: SearchSection = {
  key: 'appels-a-projets',
  label: 'calls.search.section',
  order: 30,
  async search(kernel, query, { limit, offset }) {
    const tokens = [...new Set(searchTokens(query))].slice(0, 8);
    if (!tokens.length) return { total: 0, hits: [] };
    const { rows, total } = await repo.searchPublished(kernel.db, kernel.dbHandle.dialect, tokens, kernel.clock.now().toISOString(), offset, limit);
    return {
      total,
      hits: rows.map((c) => ({ title: c.title, url: callPath(c.slug), excerpt: c.summary ?? undefined, date: c.closes_on, detail: c.funder })),
    };
  },
};

import { excerptOf, htmlToText } from '../../kernel/html.js';
import { translator } from '../../kernel/i18n/index.js';
import type { SearchHit, SearchSection } from '../../kernel/module.js';
import { searchTokens } from '../../kernel/search/normalise.js';
import { pageHref, searchPublishedPages } from '../pages/index.js';
import { searchListed } from './repo.js';
import { articleHref } from './types.js';

const MAX_TOKENS = 12;

/**
 * News in the site-wide search: listed articles (newest first), then published pages (by title),
 * matched in full text over their normalised title, chapeau and text. Paged across both lists.
 */
export const newsSearchSection: SearchSection = {
  key: 'actualites',
  label: 'news.search.section',
  order: 20,
  async search(kernel, query, { limit, offset, locale }) {
    const tokens = [...new Set(searchTokens(query))].slice(0, MAX_TOKENS);
    if (!tokens.length) return { total: 0, hits: [] };
    const { db, dbHandle } = kernel;
    const articles = await searchListed(db, dbHandle.dialect, tokens, kernel.clock.now().toISOString(), offset, limit);
    const pageOffset = Math.max(0, offset - articles.total);
    const pageLimit = Math.max(0, limit - articles.rows.length);
    const pages = await searchPublishedPages(db, dbHandle.dialect, tokens, pageOffset, pageLimit);
    const memberLabel = translator(locale)('news.memberNews');
    const hits: SearchHit[] = [
      ...articles.rows.map((a) => ({
        title: a.title,
        url: articleHref(a.slug),
        date: a.published_at,
        detail: a.organisation ? `${memberLabel} · ${a.organisation.name}` : undefined,
        excerpt: a.summary ?? (a.body_html ? excerptOf(htmlToText(a.body_html)) : undefined),
      })),
      ...pages.hits.map((p) => ({ title: p.title, url: pageHref(p.slug), excerpt: p.body_html ? excerptOf(htmlToText(p.body_html)) : undefined })),
    ];
    return { total: articles.total + pages.total, hits };
  },
};

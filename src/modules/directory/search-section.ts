import { excerptOf, htmlToText } from '../../kernel/html.js';
import type { SearchSection } from '../../kernel/module.js';
import { parseDirectoryQuery, searchDirectory } from '../organisations/index.js';

/** Organisations in the site-wide search: the directory's own search, with what the role may see. */
export const organisationsSearchSection: SearchSection = {
  key: 'annuaire',
  label: 'search.section.organisations',
  order: 10,
  async search(kernel, query, { role, limit, offset }) {
    const { filter, tokens } = parseDirectoryQuery({ q: query, tri: 'pertinence' }, role, limit);
    const page = await searchDirectory(kernel.db, kernel.dbHandle.dialect, { ...filter, offset }, tokens);
    return {
      total: page.total,
      hits: page.rows.map((o) => ({
        title: o.acronym ? `${o.name} (${o.acronym})` : o.name,
        url: `/acteurs/${encodeURIComponent(o.slug)}`,
        detail: o.commune_name ?? undefined,
        excerpt: o.description_html ? excerptOf(htmlToText(o.description_html)) : undefined,
      })),
    };
  },
};

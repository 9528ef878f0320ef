import type { Role } from '../../db/schema.js';
import type { Kernel } from '../../kernel/http/types.js';
import type { Locale } from '../../kernel/i18n/index.js';
import type { SearchHit, SearchSection } from '../../kernel/module.js';

export const SECTION_PAGE_SIZE = 20;
/** Hits shown per section when the search covers every section. */
export const OVERVIEW_HITS = 5;

export interface SectionResult {
  section: SearchSection;
  total: number;
  hits: SearchHit[];
}

export interface SearchRequest {
  query: string;
  /** One section's key, or null for all of them. */
  section: string | null;
  page: number;
  role: Role | null;
  locale: Locale;
}

/**
 * Asks every section at once: the chosen one for a page of hits, the others for their count and
 * their first hits (shown when no section is chosen). A section that fails is logged and left out
 * rather than failing the whole search.
 */
export async function runSearch(kernel: Kernel, request: SearchRequest): Promise<SectionResult[]> {
  const results = await Promise.all(
    kernel.searchSections.map(async (section): Promise<SectionResult | null> => {
      const chosen = section.key === request.section;
      const limit = chosen ? SECTION_PAGE_SIZE : OVERVIEW_HITS;
      const offset = chosen ? (request.page - 1) * SECTION_PAGE_SIZE : 0;
      try {
        const found = await section.search(kernel, request.query, { role: request.role, locale: request.locale, limit, offset });
        return { section, total: found.total, hits: found.hits };
      } catch (err) {
        kernel.logger.error({ err, section: section.key }, 'search section failed');
        return null;
      }
    }),
  );
  return results.filter((r): r is SectionResult => r !== null);
}

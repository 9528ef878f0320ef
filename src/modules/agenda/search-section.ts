import type { SearchHit, SearchSection } from '../../kernel/module.js';
import { eventPlace, eventWhen, type EventRow } from '../events/index.js';
import { parseAgendaQuery } from './query.js';
import { searchEvents } from './repo.js';

/** Events in the site-wide search: upcoming ones first (soonest first), then past ones (latest first). */
export const eventsSearchSection: SearchSection = {
  key: 'agenda',
  label: 'search.section.events',
  order: 20,
  async search(kernel, query, { locale, limit, offset }) {
    const { filter, tokens } = parseAgendaQuery({ q: query });
    const now = kernel.clock.now().toISOString();
    const upcoming = await searchEvents(kernel.db, filter, tokens, { from: now }, { order: 'asc', limit, offset });
    const pastOffset = Math.max(0, offset - upcoming.total);
    const pastLimit = limit - upcoming.rows.length;
    const past = await searchEvents(kernel.db, filter, tokens, { before: now }, { order: 'desc', limit: Math.max(pastLimit, 0), offset: pastOffset });
    const hit = (e: EventRow): SearchHit => ({
      title: e.title,
      url: `/agenda/${encodeURIComponent(e.slug)}`,
      detail: [eventWhen(e, locale), eventPlace(e)].filter(Boolean).join(' · '),
      excerpt: e.summary ?? undefined,
    });
    return { total: upcoming.total + past.total, hits: [...upcoming.rows, ...(pastLimit > 0 ? past.rows : [])].map(hit) };
  },
};

import { namerOf } from '../../kernel/audit/index.js';
import type { AuditEntityNamer } from '../../kernel/module.js';

/** Events in the journal, by their current title. */
export const eventNamer = namerOf('event', 'events', 'title', (id) => `/admin/agenda/${id}`);

/**
 * Series in the journal, by the title of their first date, linked to that date's page (which
 * shows the series); a series whose dates are all gone is left out.
 */
export const eventSeriesNamer: AuditEntityNamer = {
  type: 'event_series',
  async names({ db }, ids) {
    const dates = await db.selectFrom('events').select(['id', 'series_id', 'title']).where('series_id', 'in', ids).orderBy('starts_at', 'desc').orderBy('id', 'desc').execute();
    // Latest first: in the map, each series keeps its earliest date, set last.
    return new Map(dates.map((e) => [e.series_id!, { name: e.title, href: `/admin/agenda/${encodeURIComponent(e.id)}` }]));
  },
};

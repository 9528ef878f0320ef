import type { AuditEntityNamer } from '../../kernel/module.js';

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Calendar feeds in the journal, by their structure and site; they have no page of their own, only the list of feeds. */
export const eventFeedNamer: AuditEntityNamer = {
  type: 'event_feed',
  async names({ db }, ids) {
    const feeds = await db.selectFrom('event_feeds as f').innerJoin('organisations as o', 'o.id', 'f.organisation_id').select(['f.id', 'f.url', 'o.name']).where('f.id', 'in', ids).execute();
    return new Map(feeds.map((f) => [f.id, { name: `${f.name} — ${hostOf(f.url)}`, href: '/admin/agenda/flux' }]));
  },
};

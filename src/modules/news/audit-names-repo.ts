import type { AuditEntityNamer } from '../../kernel/module.js';
import { NEWS_ADMIN } from './views-admin.js';

/** Articles in the journal, by their current title. */
export const newsNamer: AuditEntityNamer = {
  type: 'news',
  async names({ db }, ids) {
    const rows = await db.selectFrom('news_articles').select(['id', 'title']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, { name: r.title, href: `${NEWS_ADMIN}/${encodeURIComponent(r.id)}` }]));
  },
};

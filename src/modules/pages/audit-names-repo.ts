import type { AuditEntityNamer } from '../../kernel/module.js';
import { PAGES_ADMIN } from './views-admin.js';

/** Editable pages in the journal, by their current title. */
export const pageNamer: AuditEntityNamer = {
  type: 'page',
  async names({ db }, ids) {
    const rows = await db.selectFrom('pages').select(['id', 'title']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, { name: r.title, href: `${PAGES_ADMIN}/${encodeURIComponent(r.id)}` }]));
  },
};

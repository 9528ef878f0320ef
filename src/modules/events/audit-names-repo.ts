import type { AuditEntityNamer } from '../../kernel/module.js';

/** Events in the journal, by their current title. */
export const eventNamer: AuditEntityNamer = {
  type: 'event',
  async names({ db }, ids) {
    const rows = await db.selectFrom('events').select(['id', 'title']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, { name: r.title, href: `/admin/agenda/${encodeURIComponent(r.id)}` }]));
  },
};

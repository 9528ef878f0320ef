import type { AuditEntityNamer } from '../../kernel/module.js';

/** Calls for projects in the journal, by their current title. */
export const callNamer: AuditEntityNamer = {
  type: 'call',
  async names({ db }, ids) {
    const rows = await db.selectFrom('calls').select(['id', 'title']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, { name: r.title, href: `/admin/appels-a-projets/${encodeURIComponent(r.id)}` }]));
  },
};

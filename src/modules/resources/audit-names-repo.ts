import type { AuditEntityNamer } from '../../kernel/module.js';

/** Resources in the journal, by their current title. */
export const resourceNamer: AuditEntityNamer = {
  type: 'resource',
  async names({ db }, ids) {
    const rows = await db.selectFrom('resources').select(['id', 'title']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, { name: r.title, href: `/admin/ressources/${encodeURIComponent(r.id)}` }]));
  },
};

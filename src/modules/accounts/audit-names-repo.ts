import type { AuditEntityNamer } from '../../kernel/module.js';

/** Accounts in the journal, by their current name (their address when they have none). */
export const userNamer: AuditEntityNamer = {
  type: 'user',
  async names({ db }, ids) {
    const rows = await db.selectFrom('users').select(['id', 'display_name', 'email']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, { name: r.display_name.trim() || r.email, href: `/admin/comptes/${encodeURIComponent(r.id)}` }]));
  },
};

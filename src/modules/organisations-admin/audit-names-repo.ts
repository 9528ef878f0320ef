import type { AuditEntityNamer } from '../../kernel/module.js';
import { fullName } from './contacts.js';

/** Structures in the journal, by their current name; one merged into another no longer exists. */
export const organisationNamer: AuditEntityNamer = {
  type: 'organisation',
  async names({ db }, ids) {
    const rows = await db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, { name: r.name, href: `/admin/organisations/${encodeURIComponent(r.id)}` }]));
  },
};

/** Contacts in the journal, by their current name; an erased person is left out (RGPD), like a deleted one. */
export const contactNamer: AuditEntityNamer = {
  type: 'contact',
  async names({ db }, ids) {
    const rows = await db.selectFrom('contacts').select(['id', 'first_name', 'last_name']).where('id', 'in', ids).where('erased_at', 'is', null).execute();
    return new Map(rows.map((r) => [r.id, { name: fullName(r), href: `/admin/contacts/${encodeURIComponent(r.id)}` }]));
  },
};

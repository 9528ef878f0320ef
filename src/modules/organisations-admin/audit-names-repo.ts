import { namerOf } from '../../kernel/audit/index.js';
import type { AuditEntityNamer } from '../../kernel/module.js';
import { fullName } from './contacts.js';

/** Structures in the journal, by their current name; one merged into another no longer exists. */
export const organisationNamer = namerOf('organisation', 'organisations', 'name', (id) => `/admin/organisations/${id}`);

/** Segments (saved filters of the directory) in the journal, by their name; their page is the list they filter. */
export const segmentNamer = namerOf('saved_filter', 'saved_filters', 'name', (id) => `/admin/organisations/filtres/${id}`);

/** Contacts in the journal, by their current name; an erased person is left out (RGPD), like a deleted one. */
export const contactNamer: AuditEntityNamer = {
  type: 'contact',
  async names({ db }, ids) {
    const rows = await db.selectFrom('contacts').select(['id', 'first_name', 'last_name']).where('id', 'in', ids).where('erased_at', 'is', null).execute();
    return new Map(rows.map((r) => [r.id, { name: fullName(r), href: `/admin/contacts/${encodeURIComponent(r.id)}` }]));
  },
};

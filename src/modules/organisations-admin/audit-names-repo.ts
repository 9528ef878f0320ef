import { namerOf } from '../../kernel/audit/index.js';
import type { AuditEntityNamer } from '../../kernel/module.js';
import { fullName } from './contacts.js';

const byName = namerOf('organisation', 'organisations', 'name', (id) => `/admin/organisations/${id}`);

/**
 * Structures in the journal, by their current name; one merged into another no longer exists, and
 * is named as it was by the merge in force, linked to that merge (where it can be undone).
 */
export const organisationNamer: AuditEntityNamer = {
  type: 'organisation',
  async names(kernel, ids, locale) {
    const found = await byName.names(kernel, ids, locale);
    const gone = ids.filter((id) => !found.has(id));
    if (!gone.length) return found;
    const merged = await kernel.db.selectFrom('merges').select(['id', 'absorbed_id', 'absorbed_name']).where('absorbed_id', 'in', gone).where('undone_at', 'is', null).execute();
    for (const m of merged) found.set(m.absorbed_id, { name: m.absorbed_name, href: `/admin/fusions/${encodeURIComponent(m.id)}` });
    return found;
  },
};

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

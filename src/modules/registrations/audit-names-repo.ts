import type { AuditEntityNamer } from '../../kernel/module.js';

/**
 * Registrations in the journal, by the person's name and the event, linked to their row in the
 * event's list. An erased registration is deleted (staff.ts): left out, the name shows nowhere.
 */
export const registrationNamer: AuditEntityNamer = {
  type: 'registration',
  async names({ db }, ids) {
    const rows = await db
      .selectFrom('registrations as r')
      .innerJoin('events as e', 'e.id', 'r.event_id')
      .select(['r.id', 'r.event_id', 'r.first_name', 'r.last_name', 'e.title'])
      .where('r.id', 'in', ids)
      .execute();
    return new Map(
      rows.map((r) => {
        const person = [r.first_name, r.last_name].filter(Boolean).join(' ');
        return [r.id, { name: `${person} — ${r.title}`, href: `/admin/agenda/${encodeURIComponent(r.event_id)}/inscriptions#r-${encodeURIComponent(r.id)}` }];
      }),
    );
  },
};

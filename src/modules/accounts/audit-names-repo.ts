import { translator } from '../../kernel/i18n/index.js';
import type { AuditEntityNamer } from '../../kernel/module.js';
import { isErasedAccount } from './erased.js';

/** Accounts in the journal, by their current name (their address when they have none; an erased one as such, in the reader's language). */
export const userNamer: AuditEntityNamer = {
  type: 'user',
  async names({ db }, ids, locale) {
    const rows = await db.selectFrom('users').select(['id', 'display_name', 'email', 'email_lower']).where('id', 'in', ids).execute();
    const erasedName = translator(locale)('users.erasedName');
    const nameOf = (r: (typeof rows)[number]) => (isErasedAccount(r) ? erasedName : r.display_name.trim() || r.email);
    // « Compte effacé » says it is an account: not « Compte Compte effacé ».
    return new Map(rows.map((r) => [r.id, { name: nameOf(r), href: `/admin/comptes/${encodeURIComponent(r.id)}`, saysType: isErasedAccount(r) }]));
  },
};

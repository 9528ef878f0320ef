import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { clearAccountThrottles } from '../../kernel/auth/repo.js';
import { deleteSessionsOfUser } from '../../kernel/auth/session-repo.js';
import { containsPattern } from '../../kernel/db/like.js';

type Db = Kysely<Database>;

/** The journal entries an account made (as actor) or that are about it (as subject), oldest first. */
export function auditOfUser(db: Db, userId: string) {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where((eb) => eb.or([eb('actor_id', '=', userId), eb.and([eb('entity_type', '=', 'user'), eb('entity_id', '=', userId)])]))
    .orderBy('at')
    .orderBy('id')
    .execute();
}

/** How many active admin accounts there are besides this one. */
export async function countOtherActiveAdmins(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('status', '=', 'active')
    .where('id', '!=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The journal entries to blank of an account's identity: those about the account, and any other
 * whose before/after mentions one of its addresses (case-insensitive).
 */
export function auditToScrub(db: Db, userId: string, emails: readonly string[]) {
  return db
    .selectFrom('audit_log')
    .select(['id', 'entity_type', 'entity_id', 'before', 'after'])
    .where((eb) =>
      eb.or([
        eb.and([eb('entity_type', '=', 'user'), eb('entity_id', '=', userId)]),
        ...emails.flatMap((email) => {
          const like = containsPattern(email);
          return [
            sql<boolean>`lower(${sql.ref('before')}) like ${like} escape '\\'`,
            sql<boolean>`lower(${sql.ref('after')}) like ${like} escape '\\'`,
          ];
        }),
      ]),
    )
    .execute();
}

export interface AccountErasure {
  userId: string;
  /** The anonymised identity written in place of the person's. */
  erasedName: string;
  erasedEmail: string;
  /** Every address the account had (lower case): its sign-in counters go, the journal's actor fields are replaced. */
  oldEmails: readonly string[];
  /** Before/after texts of journal entries, already blanked. */
  auditTexts: readonly { id: string; before: string | null; after: string | null }[];
  at: string;
}

/**
 * Anonymises an account in one transaction: identity and password gone, status deactivated, its
 * link tokens, sessions and sign-in counters deleted, the journal blanked of its name and addresses
 * (entries it made keep their actor id).
 */
export async function anonymiseAccount(db: Db, e: AccountErasure): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ email: e.erasedEmail, email_lower: e.erasedEmail.toLowerCase(), display_name: e.erasedName, password_hash: null, status: 'deactivated', updated_at: e.at })
      .where('id', '=', e.userId)
      .execute();
    await trx.deleteFrom('user_tokens').where('user_id', '=', e.userId).execute();
    await deleteSessionsOfUser(trx, e.userId);
    for (const email of e.oldEmails) await clearAccountThrottles(trx, email);
    for (const a of e.auditTexts) await trx.updateTable('audit_log').set({ before: a.before, after: a.after }).where('id', '=', a.id).execute();
    await trx
      .updateTable('audit_log')
      .set({ actor_email: e.erasedEmail.toLowerCase() })
      .where((eb) => eb.or([eb('actor_id', '=', e.userId), ...(e.oldEmails.length ? [eb('actor_email', 'in', [...e.oldEmails])] : [])]))
      .execute();
  });
}

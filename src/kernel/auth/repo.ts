import { type Insertable, type Kysely, type Selectable, sql, type Updateable } from 'kysely';
import type { Database, Role, TokenPurpose, UsersTable, UserStatus, UserTokensTable } from '../../db/schema.js';
import { containsPattern } from '../db/like.js';

export type UserRow = Selectable<UsersTable>;
export type TokenRow = Selectable<UserTokensTable>;

export function findUserById(db: Kysely<Database>, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findUserByEmail(db: Kysely<Database>, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email_lower', '=', email.trim().toLowerCase()).executeTakeFirst();
}

export async function insertUser(db: Kysely<Database>, user: Insertable<UsersTable>): Promise<void> {
  await db.insertInto('users').values(user).execute();
}

export async function updateUser(db: Kysely<Database>, id: string, patch: Updateable<UsersTable>): Promise<void> {
  await db.updateTable('users').set(patch).where('id', '=', id).execute();
}

export interface UserFilter {
  q?: string;
  role?: Role;
  status?: UserStatus;
  limit: number;
  offset: number;
}

export async function listUsers(db: Kysely<Database>, filter: UserFilter): Promise<{ rows: UserRow[]; total: number }> {
  let query = db.selectFrom('users');
  if (filter.q) {
    // "_" and "%" typed in the search are literal.
    const like = containsPattern(filter.q);
    query = query.where((eb) =>
      eb.or([
        sql<boolean>`${sql.ref('email_lower')} like ${like} escape '\\'`,
        sql<boolean>`lower(${sql.ref('display_name')}) like ${like} escape '\\'`,
      ]),
    );
  }
  if (filter.role) query = query.where('role', '=', filter.role);
  if (filter.status) query = query.where('status', '=', filter.status);
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('display_name').orderBy('email_lower').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function countUsersByRole(db: Kysely<Database>): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('users')
    .select(['role', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', '!=', 'deactivated')
    .groupBy('role')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.role, Number(r.n)]));
}

export async function deleteUsersBySource(db: Kysely<Database>, source: string): Promise<number> {
  const result = await db.deleteFrom('users').where('source', '=', source).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function insertToken(db: Kysely<Database>, token: Insertable<UserTokensTable>): Promise<void> {
  await db.insertInto('user_tokens').values(token).execute();
}

/** The unused, unexpired tokens of a purpose. */
function liveTokens(db: Kysely<Database>, purpose: TokenPurpose, now: string) {
  return db.selectFrom('user_tokens').selectAll().where('purpose', '=', purpose).where('used_at', 'is', null).where('expires_at', '>', now);
}

/** A token that is unused and not expired; the purpose must match. */
export function findLiveToken(db: Kysely<Database>, hash: string, purpose: TokenPurpose, now: string): Promise<TokenRow | undefined> {
  return liveTokens(db, purpose, now).where('token_hash', '=', hash).executeTakeFirst();
}

/** A user's latest unused, unexpired token of a purpose (issuing one voids the earlier ones). */
export function latestLiveToken(db: Kysely<Database>, userId: string, purpose: TokenPurpose, now: string): Promise<TokenRow | undefined> {
  return liveTokens(db, purpose, now).where('user_id', '=', userId).orderBy('created_at', 'desc').executeTakeFirst();
}

/** Marks a token used; false when someone used it first (single use under concurrency). */
export async function useToken(db: Kysely<Database>, id: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('user_tokens')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Voids the unused tokens of a user for a purpose (a new link replaces the old ones). */
export async function voidTokens(db: Kysely<Database>, userId: string, purpose: TokenPurpose, now: string): Promise<void> {
  await db
    .updateTable('user_tokens')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .execute();
}

export function findThrottle(db: Kysely<Database>, keys: string[]) {
  return db.selectFrom('login_attempts').selectAll().where('key', 'in', keys).execute();
}

export async function saveThrottle(
  db: Kysely<Database>,
  row: { key: string; failures: number; window_started_at: string; locked_until: string | null },
): Promise<void> {
  await db
    .insertInto('login_attempts')
    .values(row)
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: row.failures,
        window_started_at: row.window_started_at,
        locked_until: row.locked_until,
      }),
    )
    .execute();
}

export async function clearThrottle(db: Kysely<Database>, keys: string[]): Promise<void> {
  await db.deleteFrom('login_attempts').where('key', 'in', keys).execute();
}

export async function deleteStaleThrottles(db: Kysely<Database>, before: string): Promise<void> {
  await db
    .deleteFrom('login_attempts')
    .where('window_started_at', '<', before)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', before)]))
    .execute();
}

// Sign-in attempt counters (kernel/auth/throttle.ts): the statements that must be atomic.

/**
 * Adds one attempt to the key's window, or starts a new window when the last one began at or
 * before `windowStart`; one statement, so parallel attempts never lose a count. Returns the count.
 */
export async function countAttempt(db: Kysely<Database>, key: string, now: Date, windowStart: Date): Promise<number> {
  const nowIso = now.toISOString();
  const row = await db
    .insertInto('login_attempts')
    .values({ key, failures: 1, window_started_at: nowIso, locked_until: null })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet((eb) => {
        const over = eb(eb.ref('login_attempts.window_started_at'), '<=', windowStart.toISOString());
        return {
          failures: eb.case().when(over).then(1).else(eb(eb.ref('login_attempts.failures'), '+', 1)).end(),
          window_started_at: eb.case().when(over).then(nowIso).else(eb.ref('login_attempts.window_started_at')).end(),
        };
      }),
    )
    .returning('failures')
    .executeTakeFirstOrThrow();
  return Number(row.failures);
}

/** Takes one attempt back from each key (never below zero). */
export async function giveBack(db: Kysely<Database>, keys: string[]): Promise<void> {
  // One row per statement: a multi-row update locks rows in no set order and can deadlock with another.
  for (const key of [...keys].sort()) {
    await db
      .updateTable('login_attempts')
      .set((eb) => ({ failures: eb(eb.ref('failures'), '-', 1) }))
      .where('key', '=', key)
      .where('failures', '>', 0)
      .execute();
  }
}

/** Deletes the account's counters: from anywhere, and from every IP. */
export async function clearAccountThrottles(db: Kysely<Database>, account: string): Promise<void> {
  // substr counts characters on both dialects; an exact prefix match, unlike LIKE with its wildcards.
  const prefix = `account-ip:${account}|`;
  await db
    .deleteFrom('login_attempts')
    .where((eb) =>
      eb.or([
        eb('key', '=', `account:${account}`),
        eb(sql<string>`substr(${sql.ref('key')}, 1, ${sql.lit([...prefix].length)})`, '=', prefix),
      ]),
    )
    .execute();
}

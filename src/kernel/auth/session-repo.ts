import type { SessionStore } from '@fastify/session';
import type { Session } from 'fastify';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Clock } from '../clock.js';

type Callback = (err?: unknown) => void;
type GetCallback = (err: unknown, result?: Session | null) => void;

const DEFAULT_TTL_MS = 8 * 60 * 60 * 1000;

/** Sessions in the database, so every web process of a deployment shares them. */
export class DbSessionStore implements SessionStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  set(sid: string, session: { cookie?: { expires?: Date | string | null } }, callback: Callback): void {
    const expires = session.cookie?.expires
      ? new Date(session.cookie.expires)
      : new Date(this.clock.now().getTime() + DEFAULT_TTL_MS);
    const row = { sid, data: JSON.stringify(session), expires_at: expires.toISOString() };
    this.db
      .insertInto('sessions')
      .values(row)
      .onConflict((oc) => oc.column('sid').doUpdateSet({ data: row.data, expires_at: row.expires_at }))
      .execute()
      .then(() => callback(), callback);
  }

  get(sid: string, callback: GetCallback): void {
    this.db
      .selectFrom('sessions')
      .select(['data', 'expires_at'])
      .where('sid', '=', sid)
      .executeTakeFirst()
      .then((row) => {
        if (!row || row.expires_at <= this.clock.now().toISOString()) return callback(null, null);
        callback(null, JSON.parse(row.data) as Session);
      }, callback);
  }

  destroy(sid: string, callback: Callback): void {
    this.db
      .deleteFrom('sessions')
      .where('sid', '=', sid)
      .execute()
      .then(() => callback(), callback);
  }
}

export async function deleteExpiredSessions(db: Kysely<Database>, now: Date): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', now.toISOString()).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteSessionsOfUser(db: Kysely<Database>, userId: string): Promise<void> {
  // Session data is JSON text on both dialects; the user id is a UUID, safe inside LIKE.
  await db.deleteFrom('sessions').where('data', 'like', `%"userId":"${userId}"%`).execute();
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

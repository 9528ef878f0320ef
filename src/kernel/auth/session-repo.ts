import type { SessionStore } from '@fastify/session';
import type { Session } from 'fastify';
import type { Kysely } from 'kysely';
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

  set(sid: string, session: { cookie?: { originalMaxAge?: number | null; expires?: Date | string | null } }, callback: Callback): void {
    // The session lasts its cookie's max age from now by the kernel's clock, which `get` reads
    // (the cookie's own expiry date is counted by the system's).
    const maxAge = session.cookie?.originalMaxAge;
    const expires = maxAge
      ? new Date(this.clock.now().getTime() + maxAge)
      : session.cookie?.expires
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

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Session } from 'fastify';
import { type TestDb, testDb } from '../../../test/helpers/db.js';
import { DbSessionStore } from './session-repo.js';

let db: TestDb;
before(async () => {
  db = await testDb('sqlite');
});
after(() => db.close());

const HOUR = 60 * 60 * 1000;

function save(store: DbSessionStore, sid: string, session: object): Promise<void> {
  return new Promise((resolve, reject) => store.set(sid, session, (error) => (error ? reject(error) : resolve())));
}

function load(store: DbSessionStore, sid: string): Promise<Session | null | undefined> {
  return new Promise((resolve, reject) => store.get(sid, (error, session) => (error ? reject(error) : resolve(session))));
}

test('a session lasts its max age by the kernel clock, whatever the system clock says', async () => {
  // The kernel clock three days ahead of the system's (a test clock, a clock of another process).
  let now = new Date(Date.now() + 72 * HOUR);
  const store = new DbSessionStore(db.db, { now: () => now });
  // What @fastify/session hands over: the cookie's expiry counted from the system clock.
  const session = { userId: 'u1', cookie: { originalMaxAge: 8 * HOUR, expires: new Date(Date.now() + 8 * HOUR).toISOString() } };
  await save(store, 'sid-1', session);
  assert.equal((await load(store, 'sid-1') as unknown as { userId: string } | null)?.userId, 'u1', 'signed in at the kernel clock: valid');

  now = new Date(now.getTime() + 7 * HOUR);
  assert.ok(await load(store, 'sid-1'), 'seven hours later: still valid');
  now = new Date(now.getTime() + 2 * HOUR);
  assert.equal(await load(store, 'sid-1'), null, 'nine hours later: expired');
});

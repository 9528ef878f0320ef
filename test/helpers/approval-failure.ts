// What staff see when the database refuses the writes of an acceptance in moderation, for every
// kind of record (organisations, events, news, resources): shared by each module's tests.
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import type { Client } from './app.js';
import { assertNoInternals } from './refuse-writes.js';

/** The staff messages, as the French catalogue shows them (no-break space before the colon). */
export const NOT_CREATED = 'L’acceptation n’a pas abouti\u00a0: rien n’a été créé. Vous pouvez réessayer.';
export const NOT_CHANGED = 'L’acceptation n’a pas abouti\u00a0: rien n’a été modifié. Vous pouvez réessayer.';
export const NOT_CHANGED_EN = 'The approval did not go through: nothing was changed. You can try again.';

export async function proposalStatus(db: Kysely<Database>, id: string): Promise<string> {
  return (await db.selectFrom('proposals').where('id', '=', id).select('status').executeTakeFirstOrThrow()).status;
}

/** How many lines the log holds about a record (or a proposal). */
export async function auditLinesOf(db: Kysely<Database>, entityId: string): Promise<number> {
  return Number((await db.selectFrom('audit_log').where('entity_id', '=', entityId).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
}

/**
 * Staff press « Accepter » while the database refuses a write: they are back on the proposal with
 * `message` (once, no internals), the button to try again, and the proposal still waits.
 */
export async function assertAcceptRefused(db: Kysely<Database>, staff: Client, proposalId: string, message: string): Promise<void> {
  const refused = await staff.post(`/admin/moderation/${proposalId}/approuver`);
  assert.equal(refused.statusCode, 303, refused.body.slice(0, 3000));
  assert.equal(refused.headers.location, `/admin/moderation/${proposalId}`, 'back on the proposal, to try again');
  const page = await staff.get(`/admin/moderation/${proposalId}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, new RegExp(`<div class="flash flash-error" role="alert">${message}</div>`));
  assertNoInternals(page.body);
  assert.ok(page.body.includes(`action="/admin/moderation/${proposalId}/approuver"`), 'the proposal can be accepted again');
  assert.ok(!(await staff.get(`/admin/moderation/${proposalId}`)).body.includes(message), 'the message is shown once');
  assert.equal(await proposalStatus(db, proposalId), 'pending');
}

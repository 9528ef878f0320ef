import type { Insertable, Kysely, Selectable } from 'kysely';
import type { AccountRequestsTable, Database, ProposalsTable, ProposalStatus } from '../../db/schema.js';
import { forgetAnonymousActors } from '../../kernel/audit/index.js';

type Db = Kysely<Database>;
export type ProposalRow = Selectable<ProposalsTable>;
export type AccountRequestRow = Selectable<AccountRequestsTable>;

// ---------- Proposals ----------

export async function insertProposal(db: Db, row: Insertable<ProposalsTable>): Promise<void> {
  await db.insertInto('proposals').values(row).execute();
}

export function findProposal(db: Db, id: string): Promise<ProposalRow | undefined> {
  return db.selectFrom('proposals').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findPendingProposalOf(db: Db, entityType: string, entityId: string, proposerUserId: string): Promise<ProposalRow | undefined> {
  return db
    .selectFrom('proposals')
    .selectAll()
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .where('proposer_user_id', '=', proposerUserId)
    .where('status', '=', 'pending')
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

export async function updateProposalPayload(db: Db, id: string, payload: string): Promise<void> {
  await db.updateTable('proposals').set({ payload }).where('id', '=', id).where('status', '=', 'pending').execute();
}

export interface ProposalFilter {
  status: ProposalStatus;
  type?: string;
  limit: number;
  offset: number;
}

export async function listProposals(db: Db, f: ProposalFilter): Promise<{ rows: ProposalRow[]; total: number }> {
  let q = db.selectFrom('proposals').where('status', '=', f.status);
  if (f.type) q = q.where('entity_type', '=', f.type);
  const [rows, count] = await Promise.all([
    q
      .selectAll()
      .orderBy('created_at', f.status === 'pending' ? 'asc' : 'desc')
      .orderBy('id')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function countProposalsByType(db: Db, status: ProposalStatus): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('proposals')
    .select(['entity_type', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', '=', status)
    .groupBy('entity_type')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.entity_type, Number(r.n)]));
}

/** Moves a pending proposal to its decision; false when someone decided it first. */
export async function decideProposal(
  db: Db,
  id: string,
  decision: { status: 'approved' | 'rejected'; decidedBy: string; at: string; message: string | null },
): Promise<boolean> {
  const result = await db
    .updateTable('proposals')
    .set({ status: decision.status, decided_by: decision.decidedBy, decided_at: decision.at, message: decision.message })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function finishApproval(db: Db, id: string, entityId: string, payload: string): Promise<void> {
  await db.updateTable('proposals').set({ entity_id: entityId, payload }).where('id', '=', id).execute();
}

export function pendingProposalsForEntities(db: Db, entityType: string, ids: string[]): Promise<ProposalRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('proposals')
    .selectAll()
    .where('entity_type', '=', entityType)
    .where('entity_id', 'in', ids)
    .where('status', '=', 'pending')
    .execute();
}

/** A member's latest proposals, of every type or of one (`entityType`). */
export function proposalsOfUser(db: Db, userId: string, limit = 20, entityType?: string): Promise<ProposalRow[]> {
  let query = db.selectFrom('proposals').selectAll().where('proposer_user_id', '=', userId);
  if (entityType) query = query.where('entity_type', '=', entityType);
  return query.orderBy('created_at', 'desc').limit(limit).execute();
}

/**
 * New organisations an account proposed that still wait for staff: proposed while signed in, or with
 * the account request that was approved (the proposal then holds the request's address, not the account).
 */
export function pendingNewOrganisationsOf(db: Db, user: { id: string; email: string }): Promise<ProposalRow[]> {
  return db
    .selectFrom('proposals')
    .selectAll()
    .where('entity_type', '=', 'organisation')
    .where('entity_id', 'is', null)
    .where('status', '=', 'pending')
    .where((eb) =>
      eb.or([
        eb('proposer_user_id', '=', user.id),
        eb(
          'id',
          'in',
          eb
            .selectFrom('account_requests')
            .select('proposal_id')
            .where('status', '=', 'approved')
            .where('proposal_id', 'is not', null)
            .where((inner) => inner(inner.fn('lower', [inner.ref('email')]), '=', user.email.trim().toLowerCase())),
        ),
      ]),
    )
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

// ---------- Account requests ----------

export async function insertAccountRequest(db: Db, row: Insertable<AccountRequestsTable>): Promise<void> {
  await db.insertInto('account_requests').values(row).execute();
}

export function findAccountRequest(db: Db, id: string): Promise<AccountRequestRow | undefined> {
  return db.selectFrom('account_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listAccountRequests(db: Db, status: ProposalStatus, limit: number, offset: number): Promise<{ rows: AccountRequestRow[]; total: number }> {
  const q = db.selectFrom('account_requests').where('status', '=', status);
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('created_at', status === 'pending' ? 'asc' : 'desc').orderBy('id').limit(limit).offset(offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function countAccountRequests(db: Db, status: ProposalStatus): Promise<number> {
  const row = await db
    .selectFrom('account_requests')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', status)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function decideAccountRequest(
  db: Db,
  id: string,
  decision: { status: 'approved' | 'rejected'; decidedBy: string; at: string; message?: string | null },
): Promise<boolean> {
  const result = await db
    .updateTable('account_requests')
    .set({ status: decision.status, decided_by: decision.decidedBy, decided_at: decision.at, ...(decision.message !== undefined ? { message: decision.message } : {}) })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Approved requests waiting for the organisation a proposal creates. */
export function approvedRequestsOfProposal(db: Db, proposalId: string): Promise<AccountRequestRow[]> {
  return db.selectFrom('account_requests').selectAll().where('proposal_id', '=', proposalId).where('status', '=', 'approved').execute();
}

export async function setRequestOrganisation(db: Db, id: string, organisationId: string): Promise<void> {
  await db.updateTable('account_requests').set({ organisation_id: organisationId }).where('id', '=', id).execute();
}

/** Approved requests of an email address whose organisation is known (linked at first sign-in). */
export function approvedRequestsOfEmail(db: Db, email: string): Promise<AccountRequestRow[]> {
  return db
    .selectFrom('account_requests')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', [eb.ref('email')]), '=', email.trim().toLowerCase()))
    .where('status', '=', 'approved')
    .where('organisation_id', 'is not', null)
    .execute();
}

// ---------- Account requests: RGPD ----------

/** The account requests made with these addresses (lower case, compared case-insensitively), oldest first. */
export async function accountRequestsOfEmails(db: Db, emailsLower: readonly string[]) {
  if (!emailsLower.length) return [];
  return db
    .selectFrom('account_requests')
    .select(['id', 'name', 'email', 'organisation_id', 'message', 'status', 'created_at', 'decided_at'])
    .where((eb) => eb(eb.fn('lower', [eb.ref('email')]), 'in', [...new Set(emailsLower)]))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/**
 * RGPD erasure of account requests: the rows go, and their journal entries keep only what was done
 * and by which staff member: their before/after (name, email, message) are blanked, and so are the
 * address and IP of the person who sent the request (entries without an account behind them).
 */
export async function eraseAccountRequests(db: Db, ids: readonly string[]): Promise<number> {
  if (!ids.length) return 0;
  return db.transaction().execute(async (trx) => {
    await trx.updateTable('audit_log').set({ before: null, after: null }).where('entity_type', '=', 'account_request').where('entity_id', 'in', [...ids]).execute();
    await forgetAnonymousActors(trx, 'account_request', ids);
    const result = await trx.deleteFrom('account_requests').where('id', 'in', [...ids]).executeTakeFirst();
    return Number(result.numDeletedRows);
  });
}

/** Proposals sent under these addresses (lower case), or by the account that has one of them now, oldest first. */
export async function proposalsOfProposerEmails(db: Db, emailsLower: readonly string[]) {
  if (!emailsLower.length) return [];
  const emails = [...new Set(emailsLower)];
  return db
    .selectFrom('proposals')
    .select(['id', 'entity_type', 'entity_id', 'status', 'proposer_name', 'proposer_email', 'payload', 'message', 'created_at', 'decided_at'])
    .where((eb) =>
      eb.or([
        eb(eb.fn('lower', [eb.ref('proposer_email')]), 'in', emails),
        eb('proposer_user_id', 'in', eb.selectFrom('users').select('id').where('email_lower', 'in', emails)),
      ]),
    )
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/**
 * RGPD erasure of the people who sent proposals: the proposals stay (what they propose is about an
 * organisation, an event…), without the sender's name and address; the journal entries they made
 * without an account lose the sender's address and IP (an account's own entries are the account
 * erasure's to blank).
 */
export async function eraseProposers(db: Db, ids: readonly string[]): Promise<number> {
  if (!ids.length) return 0;
  return db.transaction().execute(async (trx) => {
    await forgetAnonymousActors(trx, 'proposal', ids);
    const result = await trx.updateTable('proposals').set({ proposer_name: null, proposer_email: null }).where('id', 'in', [...ids]).executeTakeFirst();
    return Number(result.numUpdatedRows);
  });
}

// ---------- People to notify ----------

export function activeStaff(db: Db): Promise<{ id: string; email: string; display_name: string; locale: string }[]> {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'display_name', 'locale'])
    .where('role', 'in', ['staff', 'admin'])
    .where('status', '=', 'active')
    .orderBy('email')
    .execute();
}

// Queries of the merge module: the merges table, the review queue, and what the pair page shows.
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { Database, DuplicateCandidatesTable, DuplicateStatus, MergesTable } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export type MergeRow = Selectable<MergesTable>;
export type CandidateRow = Selectable<DuplicateCandidatesTable>;

// ---------- Merges ----------

export async function insertMerge(db: Db, row: Insertable<MergesTable>): Promise<void> {
  await db.insertInto('merges').values(row).execute();
}

/** The instant of the latest merge, to keep merges strictly ordered in time (undo checks "later" ones). */
export async function latestMergeAt(db: Db): Promise<string | undefined> {
  const row = await db.selectFrom('merges').select('merged_at').orderBy('merged_at', 'desc').limit(1).executeTakeFirst();
  return row?.merged_at;
}

export function findMerge(db: Db, id: string): Promise<MergeRow | undefined> {
  return db.selectFrom('merges').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The merge row, locked until the transaction ends on PostgreSQL. */
export function lockMerge(db: Db, id: string, postgres: boolean): Promise<MergeRow | undefined> {
  const query = db.selectFrom('merges').selectAll().where('id', '=', id);
  return (postgres ? query.forUpdate() : query).executeTakeFirst();
}

export async function markUndone(db: Db, id: string, at: string, by: string | null): Promise<void> {
  await db.updateTable('merges').set({ undone_at: at, undone_by: by }).where('id', '=', id).execute();
}

/** Merges still in force made after this one (later ones first), with what they touched. */
export function laterActiveMerges(db: Db, merge: Pick<MergeRow, 'id' | 'merged_at'>) {
  return db
    .selectFrom('merges')
    .select(['id', 'survivor_name', 'absorbed_name', 'merged_at', 'involved'])
    .where('undone_at', 'is', null)
    .where('id', '!=', merge.id)
    .where((eb) => eb.or([eb('merged_at', '>', merge.merged_at), eb.and([eb('merged_at', '=', merge.merged_at), eb('id', '>', merge.id)])]))
    .orderBy('merged_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/**
 * The contacts' merge entries of the journal (`contact.merged`, written on the contact kept) about
 * these contacts: the one place that says which person each duplicate was joined to.
 */
export function contactMergeEntries(db: Db, contactIds: string[]) {
  if (contactIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('audit_log').select(['entity_id', 'before', 'after']).where('action', '=', 'contact.merged').where('entity_type', '=', 'contact').where('entity_id', 'in', contactIds).execute();
}

/** The last merge in force of a candidate pair. */
export function activeMergeOfCandidate(db: Db, candidateId: string): Promise<MergeRow | undefined> {
  return db.selectFrom('merges').selectAll().where('candidate_id', '=', candidateId).where('undone_at', 'is', null).orderBy('merged_at', 'desc').executeTakeFirst();
}

/** Where an organisation merged away lives now: the survivor of the merge in force that absorbed it. */
export async function survivorOf(db: Db, absorbedId: string): Promise<string | undefined> {
  const row = await db.selectFrom('merges').select('survivor_id').where('absorbed_id', '=', absorbedId).where('undone_at', 'is', null).orderBy('merged_at', 'desc').executeTakeFirst();
  return row?.survivor_id;
}

export interface MergeFilter {
  kind?: 'manual' | 'auto';
  /** Only merges in force (not undone). */
  active?: boolean;
}

export async function listMerges(db: Db, filter: MergeFilter, limit: number, offset: number): Promise<{ rows: MergeRow[]; total: number }> {
  let query = db.selectFrom('merges');
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.active) query = query.where('undone_at', 'is', null);
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('merged_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Names of the people who merged or undid (for lists). */
export async function userNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

// ---------- Candidate pairs ----------

export function findCandidate(db: Db, id: string): Promise<CandidateRow | undefined> {
  return db.selectFrom('duplicate_candidates').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findCandidateOfPair(db: Db, a: string, b: string): Promise<CandidateRow | undefined> {
  const [x, y] = a < b ? [a, b] : [b, a];
  return db.selectFrom('duplicate_candidates').selectAll().where('organisation_a_id', '=', x).where('organisation_b_id', '=', y).executeTakeFirst();
}

export async function decideCandidate(db: Db, id: string, status: DuplicateStatus, by: string | null, at: string): Promise<number> {
  const result = await db.updateTable('duplicate_candidates').set({ status, decided_by: by, decided_at: at, updated_at: at }).where('id', '=', id).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** A dismissed pair back in the queue, undecided. */
export async function reopenCandidate(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('duplicate_candidates').set({ status: 'pending', decided_by: null, decided_at: null, updated_at: at }).where('id', '=', id).where('status', '=', 'dismissed').execute();
}

/** Candidates touching an organisation (either side). */
export function candidatesOf(db: Db, organisationId: string): Promise<CandidateRow[]> {
  return db
    .selectFrom('duplicate_candidates')
    .selectAll()
    .where((eb) => eb.or([eb('organisation_a_id', '=', organisationId), eb('organisation_b_id', '=', organisationId)]))
    .orderBy('id')
    .execute();
}

const SIDE_COLUMNS = ['id', 'name', 'slug', 'commune_name', 'postcode', 'department_code', 'source', 'source_file', 'source_ref'] as const;

export interface QueueSide {
  id: string;
  name: string;
  slug: string;
  commune_name: string | null;
  postcode: string | null;
  department_code: string | null;
  source: string;
  source_file: string | null;
  source_ref: string | null;
}

export interface QueueRow {
  id: string;
  score: number;
  reasons: string;
  auto_mergeable: number;
  status: DuplicateStatus;
  decided_at: string | null;
  a: QueueSide;
  b: QueueSide;
}

/** Candidate pairs of a status with both records, highest score first. */
export async function listCandidates(db: Db, status: DuplicateStatus, limit: number, offset: number): Promise<{ rows: QueueRow[]; total: number }> {
  const base = db
    .selectFrom('duplicate_candidates as d')
    .innerJoin('organisations as a', 'a.id', 'd.organisation_a_id')
    .innerJoin('organisations as b', 'b.id', 'd.organisation_b_id')
    .where('d.status', '=', status);
  const [rows, count] = await Promise.all([
    base
      .select(['d.id', 'd.score', 'd.reasons', 'd.auto_mergeable', 'd.status', 'd.decided_at'])
      .select(SIDE_COLUMNS.map((c) => `a.${c} as a_${c}` as const))
      .select(SIDE_COLUMNS.map((c) => `b.${c} as b_${c}` as const))
      .orderBy('d.score', 'desc')
      .orderBy('d.id')
      .limit(limit)
      .offset(offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const side = (r: Record<string, unknown>, p: 'a' | 'b'): QueueSide => Object.fromEntries(SIDE_COLUMNS.map((c) => [c, r[`${p}_${c}`] ?? null])) as unknown as QueueSide;
  return {
    rows: rows.map((r) => ({ id: r.id, score: Number(r.score), reasons: r.reasons, auto_mergeable: r.auto_mergeable, status: r.status, decided_at: r.decided_at, a: side(r, 'a'), b: side(r, 'b') })),
    total: Number(count.n),
  };
}

/** Pending and dismissed pairs from the candidates; merged ones from the merges in force. */
export async function queueCounts(db: Db): Promise<Record<DuplicateStatus, number>> {
  const [candidates, merges] = await Promise.all([
    db
      .selectFrom('duplicate_candidates')
      .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
      .where('status', 'in', ['pending', 'dismissed'])
      .groupBy('status')
      .execute(),
    db
      .selectFrom('merges')
      .select((eb) => ['kind', eb.fn.countAll<number>().as('n')])
      .where('undone_at', 'is', null)
      .groupBy('kind')
      .execute(),
  ]);
  const counts: Record<DuplicateStatus, number> = { pending: 0, auto_merged: 0, merged: 0, dismissed: 0 };
  for (const r of candidates) counts[r.status] = Number(r.n);
  for (const r of merges) counts[r.kind === 'auto' ? 'auto_merged' : 'merged'] = Number(r.n);
  return counts;
}

/** Pending pairs the scan marked safe to merge without review (above the high threshold, a valid identifier shared). */
export async function countAutoMergeable(db: Db): Promise<number> {
  const row = await db
    .selectFrom('duplicate_candidates')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'pending')
    .where('auto_mergeable', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Automatic merges made since an instant (the progress of the one running). */
export async function countAutoMergesSince(db: Db, since: string): Promise<number> {
  const row = await db
    .selectFrom('merges')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kind', '=', 'auto')
    .where('merged_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function countPending(db: Db): Promise<number> {
  const row = await db
    .selectFrom('duplicate_candidates')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// ---------- Contacts of the organisations being merged ----------

export interface ContactOfOrganisation {
  id: string;
  civility: string | null;
  first_name: string | null;
  last_name: string;
  erased_at: string | null;
  organisation_id: string;
  function: string | null;
}

export function contactsOfOrganisations(db: Db, organisationIds: string[]): Promise<ContactOfOrganisation[]> {
  return db
    .selectFrom('contact_roles as r')
    .innerJoin('contacts as c', 'c.id', 'r.contact_id')
    .select(['c.id', 'c.civility', 'c.first_name', 'c.last_name', 'c.erased_at', 'r.organisation_id', 'r.function'])
    .where('r.organisation_id', 'in', organisationIds)
    .orderBy('c.sort_name')
    .orderBy('c.id')
    .execute();
}

/** Which of these organisations exist. */
export async function organisationsPresent(db: Db, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('organisations').select('id').where('id', 'in', ids).execute();
  return rows.map((r) => r.id);
}

/** Which of these contacts were erased (RGPD). */
export async function erasedContacts(db: Db, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('contacts').select('id').where('id', 'in', ids).where('erased_at', 'is not', null).execute();
  return rows.map((r) => r.id);
}

export async function emailsOf(db: Db, contactIds: string[]): Promise<Map<string, { email: string; email_lower: string }[]>> {
  const map = new Map<string, { email: string; email_lower: string }[]>(contactIds.map((id) => [id, []]));
  if (contactIds.length === 0) return map;
  const rows = await db.selectFrom('contact_emails').select(['contact_id', 'email', 'email_lower']).where('contact_id', 'in', contactIds).orderBy('is_primary', 'desc').orderBy('email_lower').execute();
  for (const r of rows) map.get(r.contact_id)?.push({ email: r.email, email_lower: r.email_lower });
  return map;
}

// ---------- What the pair page lists (united on merge) ----------

export async function tagsOf(db: Db, ids: string[]): Promise<{ organisation_id: string; tag: string }[]> {
  return db.selectFrom('organisation_tags').select(['organisation_id', 'tag']).where('organisation_id', 'in', ids).orderBy('tag').execute();
}

export async function membershipsOf(db: Db, ids: string[]) {
  return db.selectFrom('memberships').select(['organisation_id', 'year', 'status']).where('organisation_id', 'in', ids).orderBy('year', 'desc').execute();
}

export async function accountsOf(db: Db, ids: string[]) {
  return db
    .selectFrom('user_organisations as uo')
    .innerJoin('users as u', 'u.id', 'uo.user_id')
    .select(['uo.organisation_id', 'u.id', 'u.display_name', 'u.email'])
    .where('uo.organisation_id', 'in', ids)
    .orderBy('u.display_name')
    .execute();
}

export async function interactionCounts(db: Db, ids: string[]): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('interactions')
    .select((eb) => ['organisation_id', eb.fn.countAll<number>().as('n')])
    .where('organisation_id', 'in', ids)
    .groupBy('organisation_id')
    .execute();
  return new Map(rows.map((r) => [r.organisation_id, Number(r.n)]));
}

/** Merges whose journal holds rows of a contact (any row naming its id: the person, their emails, roles, consents). */
export function mergesInvolving(db: Db, id: string) {
  return db.selectFrom('merges').select(['id', 'journal']).where('journal', 'like', `%"${id}"%`).execute();
}

export async function replaceJournal(db: Db, id: string, journal: string): Promise<void> {
  await db.updateTable('merges').set({ journal }).where('id', '=', id).execute();
}

// ---------- Where a record came from ----------

/** The import columns of an organisation or a contact (its own origin). */
export function originColumns(db: Db, table: 'organisations' | 'contacts', id: string) {
  return db.selectFrom(table).select(['id', 'source', 'import_batch_id', 'source_file', 'source_row', 'source_ref']).where('id', '=', id).executeTakeFirst();
}

/** The merges in force that absorbed an organisation into this one, with their journals (the absorbed row is in it). */
export function mergesInto(db: Db, survivorId: string) {
  return db.selectFrom('merges').select(['id', 'absorbed_id', 'journal']).where('survivor_id', '=', survivorId).where('undone_at', 'is', null).orderBy('merged_at').execute();
}

/** Merges in force, by id, with their journals. */
export async function activeMergesByIds(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('merges').select(['id', 'journal', 'merged_at']).where('id', 'in', ids).where('undone_at', 'is', null).orderBy('merged_at').execute();
}

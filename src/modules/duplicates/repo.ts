// Every query of the duplicates module: organisations read for detection, candidate pairs written.
import { type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, DuplicateCandidatesTable, DuplicateStatus } from '../../db/schema.js';
import type { OrganisationLike } from './record.js';

type Db = Kysely<Database> | Transaction<Database>;

export type CandidateRow = Selectable<DuplicateCandidatesTable>;

/** The organisation columns the engine reads (source file and reference come with imports). */
const ORGANISATION_COLUMNS = [
  'id', 'name', 'acronym', 'kind_code', 'siren', 'siret', 'rna', 'insee_code', 'email', 'website', 'phone', 'postcode',
  'commune_code', 'commune_name', 'department_code', 'source', 'source_file', 'source_ref',
] as const;

/** One page of organisations in id order (keyset pagination: stable while the base grows). */
export async function organisationPage(db: Db, afterId: string | null, limit: number): Promise<OrganisationLike[]> {
  let query = db.selectFrom('organisations').select(ORGANISATION_COLUMNS).orderBy('id').limit(limit);
  if (afterId !== null) query = query.where('id', '>', afterId);
  return query.execute();
}

/** Every organisation name: the word statistics of the base. */
export async function organisationNames(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('organisations').select('name').execute();
  return rows.map((r) => r.name);
}

export interface DraftCriteria {
  sirens: string[];
  /** A SIREN whose establishments (SIRET starting with it) are looked for too. */
  siretPrefix: string | null;
  rna: string | null;
  inseeCode: string | null;
  email: string | null;
  /** Domains (e-mail domain, website host) to find in e-mails and websites. */
  domains: string[];
  phone: string | null;
  communeCode: string | null;
  postcode: string | null;
  /** Rare name words: searched in the commune, and the rarest across communes. */
  localWords: string[];
  globalWords: string[];
}

function likeText(value: string): string {
  return `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Organisations that share something with a draft (identifier, contact, name word nearby). */
export async function draftCandidates(db: Db, c: DraftCriteria, limit: number): Promise<OrganisationLike[]> {
  return db
    .selectFrom('organisations')
    .select(ORGANISATION_COLUMNS)
    .where((eb) => {
      const any = [];
      if (c.sirens.length) any.push(eb('siren', 'in', c.sirens));
      if (c.siretPrefix) any.push(eb('siret', 'like', `${c.siretPrefix}%`));
      if (c.rna) any.push(eb('rna', '=', c.rna));
      if (c.inseeCode) any.push(eb('insee_code', '=', c.inseeCode));
      if (c.email) any.push(eb(eb.fn('lower', ['email']), '=', c.email));
      if (c.phone) any.push(eb('phone', '=', c.phone));
      for (const domain of c.domains) {
        any.push(eb(eb.fn('lower', ['email']), 'like', likeText(`@${domain}`)));
        any.push(eb(eb.fn('lower', ['website']), 'like', likeText(domain)));
      }
      const place = [c.communeCode ? eb('commune_code', '=', c.communeCode) : null, c.postcode ? eb('postcode', '=', c.postcode) : null].filter(
        (x): x is NonNullable<typeof x> => x !== null,
      );
      if (place.length && c.localWords.length) {
        any.push(eb.and([eb.or(place), eb.or(c.localWords.map((w) => eb('search_text', 'like', likeText(w))))]));
      }
      for (const word of c.globalWords) any.push(eb('search_text', 'like', likeText(word)));
      return any.length ? eb.or(any) : eb.val(false);
    })
    .limit(limit)
    .execute();
}

/** Known pairs (any status), by "a|b". */
export async function knownPairs(db: Db): Promise<Map<string, { id: string; status: DuplicateStatus }>> {
  const rows = await db.selectFrom('duplicate_candidates').select(['id', 'organisation_a_id', 'organisation_b_id', 'status']).execute();
  return new Map(rows.map((r) => [`${r.organisation_a_id}|${r.organisation_b_id}`, { id: r.id, status: r.status }]));
}

/** Bound parameters per statement: under SQLite's 32,766 and PostgreSQL's 65,535. */
const MAX_PARAMETERS = 5_000;

/**
 * Inserts new pairs and refreshes pending ones (score, reasons, last seen); a decided pair
 * (dismissed, merged) is never changed, even if a caller passes it.
 */
export async function upsertPendingPairs(db: Db, rows: Insertable<DuplicateCandidatesTable>[]): Promise<void> {
  if (rows.length === 0) return;
  const size = Math.max(1, Math.floor(MAX_PARAMETERS / Object.keys(rows[0]!).length));
  for (let i = 0; i < rows.length; i += size) {
    await db
      .insertInto('duplicate_candidates')
      .values(rows.slice(i, i + size))
      .onConflict((oc) =>
        oc
          .columns(['organisation_a_id', 'organisation_b_id'])
          .doUpdateSet((eb) => ({
            score: eb.ref('excluded.score'),
            reasons: eb.ref('excluded.reasons'),
            auto_mergeable: eb.ref('excluded.auto_mergeable'),
            updated_at: eb.ref('excluded.updated_at'),
            last_seen_at: eb.ref('excluded.last_seen_at'),
          }))
          .where('duplicate_candidates.status', '=', 'pending'),
      )
      .execute();
  }
}

/** Pending pairs a scan no longer finds (the records changed): they leave the queue. */
export async function deleteStalePending(db: Db, seenBefore: string): Promise<number> {
  const result = await db.deleteFrom('duplicate_candidates').where('status', '=', 'pending').where('last_seen_at', '<', seenBefore).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function setPairStatus(db: Db, id: string, status: DuplicateStatus, decidedBy: string | null, at: string): Promise<void> {
  await db.updateTable('duplicate_candidates').set({ status, decided_by: decidedBy, decided_at: at, updated_at: at }).where('id', '=', id).execute();
}

export async function findPair(db: Db, a: string, b: string): Promise<CandidateRow | undefined> {
  const [x, y] = a < b ? [a, b] : [b, a];
  return db.selectFrom('duplicate_candidates').selectAll().where('organisation_a_id', '=', x).where('organisation_b_id', '=', y).executeTakeFirst();
}

/** Pairs of a status, highest score first (the review queue for `pending`). */
export async function pairsByStatus(db: Db, status: DuplicateStatus, limit: number, offset = 0): Promise<CandidateRow[]> {
  return db.selectFrom('duplicate_candidates').selectAll().where('status', '=', status).orderBy('score', 'desc').orderBy('id').limit(limit).offset(offset).execute();
}

export async function countPairs(db: Db): Promise<Record<DuplicateStatus, number>> {
  const rows = await db
    .selectFrom('duplicate_candidates')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  const counts: Record<DuplicateStatus, number> = { pending: 0, auto_merged: 0, merged: 0, dismissed: 0 };
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

// ---------- The full scan's state (queue page) ----------

/** Scan jobs waiting or running, oldest first (the first is the one people wait for; a few at most: one a minute is asked). */
export function pendingScanJobs(db: Db, name: string) {
  return db
    .selectFrom('jobs')
    .select(['status', 'created_at', 'updated_at', 'attempts', 'payload'])
    .where('name', '=', name)
    .where('status', 'in', ['queued', 'running'])
    .orderBy('created_at')
    .limit(20)
    .execute();
}

/** The last scan job that failed for good. */
export function lastFailedScanJob(db: Db, name: string) {
  return db.selectFrom('jobs').select(['finished_at']).where('name', '=', name).where('status', '=', 'failed').orderBy('finished_at', 'desc').limit(1).executeTakeFirst();
}

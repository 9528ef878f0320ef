import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { translator } from '../../kernel/i18n/index.js';
import type { DuplicateFinder, DuplicateMatch, ImportRecord } from '../imports/index.js';
import { directoryVersion } from '../organisations/index.js';
import { forEachCandidatePair } from './blocking.js';
import { dedupeOptions } from './options.js';
import { type PreparedRecord, prepareRecord } from './prepare.js';
import { describeReasons } from './reasons.js';
import { dedupeRecordFromOrganisation, type DedupeRecord, type OrganisationLike } from './record.js';
import { organisationPage } from './repo.js';
import { compareRecords } from './score.js';
import { TokenStats } from './token-stats.js';
import { WordPool } from './word-pool.js';

/**
 * Above this many records (base and file together) the warnings stop: holding every record's
 * blocking keys in memory would cost more than the import itself. The full scan queued after the
 * import (and `maillage dedupe`) finds every pair anyway.
 */
export const IMPORT_CHECK_MAX_RECORDS = 5_000;

const FILE_PREFIX = 'import-row:';
const rowOf = (record: DedupeRecord) => Number(record.id.slice(FILE_PREFIX.length));
const inFile = (record: DedupeRecord) => record.id.startsWith(FILE_PREFIX);

function fileRecord(record: ImportRecord): DedupeRecord {
  return dedupeRecordFromOrganisation({ ...record.organisation!, id: `${FILE_PREFIX}${record.row}`, source_ref: record.sourceRef });
}

function label(record: DedupeRecord): string {
  return record.communeName ? `${record.name} (${record.communeName})` : record.name;
}

// ---------- The base, prepared once per process and kept up to date ----------

/**
 * The organisations of a database as the engine compares them, kept between validations: the
 * fixed cost of checking a small file was reading and preparing the whole base (normalised names,
 * identifiers, initials) for every validation, however small the file. A validation reads the directory's change counter, which every write to the
 * organisations moves, whichever process makes it (migration 1170): unchanged, the base is reused
 * as it is; changed, it is read again (one query) and only the organisations whose compared columns
 * changed, or that are new, are prepared again; those gone are dropped. So the warnings are those
 * of the base as it is now.
 */
interface PreparedBase {
  /** The directory's change counter when the base was read. */
  version: string;
  /** The prepared records in id order, as last read. */
  records: PreparedRecord[];
  /** The compared columns of each organisation (its fingerprint) and the record prepared from them. */
  byId: Map<string, { fingerprint: string; prepared: PreparedRecord }>;
  pool: WordPool;
  /** Records prepared into this pool: past twice the base, the pool (and its stale words) is renewed. */
  preparedIntoPool: number;
}

const bases = new WeakMap<Kysely<Database>, PreparedBase>();
/** The change counter at which the base was found too large: not read again until it moves. */
const tooLargeAt = new WeakMap<Kysely<Database>, string>();
let preparedCount = 0;

/** How many organisations of the base the import finders prepared, in this process (tests: the cache at work). */
export function baseRecordsPrepared(): number {
  return preparedCount;
}

function fingerprintOf(row: OrganisationLike): string {
  return Object.values(row)
    .map((v) => (v === null || v === undefined ? '\u0000' : String(v)))
    .join('\u0001');
}

/**
 * The base's prepared records in id order (the order the full scan reads them), or null when the
 * base alone passes the cap: a large base is never prepared (nor held) only to learn that it is too large.
 */
async function preparedBase(db: Kysely<Database>): Promise<PreparedRecord[] | null> {
  // Read before the organisations: a change made meanwhile is read again next time.
  const version = await directoryVersion(db);
  const kept = bases.get(db);
  if (kept?.version === version) return kept.records;
  if (tooLargeAt.get(db) === version) return null;
  // One record more than the cap tells whether the base is small enough.
  const page = await organisationPage(db, null, IMPORT_CHECK_MAX_RECORDS + 1);
  if (page.length > IMPORT_CHECK_MAX_RECORDS) {
    bases.delete(db);
    tooLargeAt.set(db, version);
    return null;
  }
  let base = kept;
  if (!base || base.preparedIntoPool > 2 * Math.max(page.length, 1000)) base = { version, records: [], byId: new Map(), pool: new WordPool(), preparedIntoPool: 0 };
  const byId = new Map<string, { fingerprint: string; prepared: PreparedRecord }>();
  const records: PreparedRecord[] = [];
  for (const row of page) {
    const fingerprint = fingerprintOf(row);
    let entry = base.byId.get(row.id);
    if (entry?.fingerprint !== fingerprint) {
      entry = { fingerprint, prepared: prepareRecord(dedupeRecordFromOrganisation(row, base.pool), base.pool) };
      base.preparedIntoPool++;
      preparedCount++;
    }
    byId.set(row.id, entry);
    records.push(entry.prepared);
  }
  // Written at once, after the reading: a validation running meanwhile has its own list.
  bases.set(db, { version, records, byId, pool: base.pool, preparedIntoPool: base.preparedIntoPool });
  return records;
}

/**
 * Possible duplicates of each row of a file being validated, against the base and the rows of the
 * same file met before it (rows come in file order). The engine is the full scan's (scan.ts):
 * blocking with the word statistics of every record given so far, then scoring; only the pairs
 * involving a newly given row are scored, and each is the later row's warning. Given the file's
 * first rows in one call (the finder's `batchRows`), the warnings are the pairs the full scan
 * would find among them and the base; rarity learnt row by row would block on words that are only
 * rare at the start of the file ("commune", "maison"), comparing each row with dozens of others.
 *
 * The base's records are prepared once per process and kept while the base does not change (see
 * preparedBase): a validation pays for its file, the blocking and the comparisons, not for reading and preparing the whole base again.
 */
export async function importDuplicateFinder(db: Kysely<Database>): Promise<DuplicateFinder> {
  const options = dedupeOptions();
  const base = await preparedBase(db);
  if (!base) return Object.assign(async () => [], { batchRows: async () => 0 });
  const t = translator('fr');
  // The file's words are its own: the base's pool outlives this validation.
  const pool = new WordPool();
  // A list of its own: the kept one serves other validations.
  let prepared: PreparedRecord[] = base;
  let full = false;

  const find = async (records: ImportRecord[]) => {
    if (full) return [];
    const room = IMPORT_CHECK_MAX_RECORDS - prepared.length;
    const given = records.filter((r) => r.organisation).slice(0, Math.max(0, room));
    if (!given.length) return [];
    const firstNew = prepared.length;
    prepared = [...prepared, ...given.map((record) => prepareRecord(fileRecord(record), pool))];
    const stats = TokenStats.from(prepared.map((p) => p.name.tokens));
    const found = new Map<number, DuplicateMatch[]>();
    forEachCandidatePair(prepared, stats, options.blocking, (i, j) => {
      // i < j: a pair of records given before this call is none of its rows' warning (each row is
      // warned of once, when it comes, against what came before it).
      if (j < firstNew) return;
      const earlier = prepared[i]!;
      const later = prepared[j]!;
      const comparison = compareRecords(earlier, later, stats, options.weights);
      if (comparison.score < options.reviewThreshold) return;
      const reasons = describeReasons(comparison.reasons, t);
      const match: DuplicateMatch = inFile(earlier.record)
        ? { row: rowOf(earlier.record), label: label(earlier.record), score: comparison.score, reasons }
        : { organisationId: earlier.record.id, label: label(earlier.record), score: comparison.score, reasons };
      const list = found.get(j);
      if (list) list.push(match);
      else found.set(j, [match]);
    });
    // Past the cap the records serve no more: they are freed for the rest of the file.
    if (prepared.length >= IMPORT_CHECK_MAX_RECORDS) {
      full = true;
      prepared = [];
    }
    return [...found]
      .sort(([x], [y]) => x - y)
      .map(([j, matches]) => ({ row: given[j - firstNew]!.row, matches: matches.sort((x, y) => (y.score ?? 0) - (x.score ?? 0)).slice(0, 3) }));
  };
  // The validation holds back the rows the base leaves room for, to give them at once.
  const room = Math.max(0, IMPORT_CHECK_MAX_RECORDS - prepared.length);
  return Object.assign(find, { batchRows: async () => room });
}

import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { translator } from '../../kernel/i18n/index.js';
import type { DuplicateFinder, DuplicateMatch, ImportRecord } from '../imports/index.js';
import { forEachCandidatePair } from './blocking.js';
import { dedupeOptions } from './options.js';
import { type PreparedRecord, prepareRecord } from './prepare.js';
import { describeReasons } from './reasons.js';
import { dedupeRecordFromOrganisation, type DedupeRecord } from './record.js';
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

/**
 * Possible duplicates of each row of a file being validated, against the base and the rows of the
 * same file met before it (rows come in file order). The engine is the full scan's (scan.ts):
 * blocking with the word statistics of every record given so far, then scoring; only the pairs
 * involving a newly given row are scored, and each is the later row's warning. Given the file's
 * first rows in one call (the finder's `batchRows`), the warnings are the pairs the full scan
 * would find among them and the base; rarity learnt row by row would block on words that are only
 * rare at the start of the file ("commune", "maison"), comparing each row with dozens of others.
 */
export async function importDuplicateFinder(db: Kysely<Database>): Promise<DuplicateFinder> {
  const options = dedupeOptions();
  // One page one record longer than the cap tells whether the base is small enough: a large base
  // is never read whole (nor held) only to learn that it is too large.
  const page = await organisationPage(db, null, IMPORT_CHECK_MAX_RECORDS + 1);
  if (page.length > IMPORT_CHECK_MAX_RECORDS) return Object.assign(async () => [], { batchRows: async () => 0 });
  const t = translator('fr');
  const pool = new WordPool();
  let prepared: PreparedRecord[] = page.map((row) => prepareRecord(dedupeRecordFromOrganisation(row, pool), pool));
  let full = false;

  const find = async (records: ImportRecord[]) => {
    if (full) return [];
    const room = IMPORT_CHECK_MAX_RECORDS - prepared.length;
    const given = records.filter((r) => r.organisation).slice(0, Math.max(0, room));
    if (!given.length) return [];
    const firstNew = prepared.length;
    for (const record of given) prepared.push(prepareRecord(fileRecord(record), pool));
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

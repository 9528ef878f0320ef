import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { translator } from '../../kernel/i18n/index.js';
import type { DuplicateFinder, DuplicateMatch, ImportRecord } from '../imports/index.js';
import { blockingKeys, DEFAULT_BLOCKING } from './blocking.js';
import { prepareAll } from './detect.js';
import { dedupeOptions } from './options.js';
import { type PreparedRecord, prepareRecord } from './prepare.js';
import { describeReasons } from './reasons.js';
import { dedupeRecordFromOrganisation, type DedupeRecord } from './record.js';
import { organisationPage } from './repo.js';
import { compareRecords } from './score.js';

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
 * same file met so far (rows come in file order, chunk by chunk). The base is prepared once; each
 * row is compared only with the records sharing one of its blocking keys, then joins the index.
 */
export async function importDuplicateFinder(db: Kysely<Database>): Promise<DuplicateFinder> {
  const options = dedupeOptions();
  // One page one record longer than the cap tells whether the base is small enough: a large base
  // is never read whole (nor held) only to learn that it is too large.
  const page = await organisationPage(db, null, IMPORT_CHECK_MAX_RECORDS + 1);
  if (page.length > IMPORT_CHECK_MAX_RECORDS) return async () => [];
  const base = page.map((row) => dedupeRecordFromOrganisation(row));
  const t = translator('fr');
  const { prepared, stats } = prepareAll(base);
  const blocks = new Map<string, PreparedRecord[]>();
  let indexed = 0;
  const index = (record: PreparedRecord) => {
    indexed++;
    for (const key of blockingKeys(record, stats, DEFAULT_BLOCKING)) {
      const block = blocks.get(key);
      const cap = key.startsWith('#') ? DEFAULT_BLOCKING.maxIdentifierBlock : DEFAULT_BLOCKING.maxNameBlock;
      if (!block) blocks.set(key, [record]);
      else if (block.length < cap) block.push(record);
    }
  };
  prepared.forEach(index);

  return async (records) => {
    const findings: Array<{ row: number; matches: DuplicateMatch[] }> = [];
    for (const record of records) {
      if (!record.organisation || indexed >= IMPORT_CHECK_MAX_RECORDS) continue;
      const mine = prepareRecord(fileRecord(record));
      stats.add(mine.name.tokens);
      const seen = new Set<PreparedRecord>();
      const matches: DuplicateMatch[] = [];
      for (const key of blockingKeys(mine, stats, DEFAULT_BLOCKING)) {
        for (const other of blocks.get(key) ?? []) {
          if (seen.has(other)) continue;
          seen.add(other);
          const comparison = compareRecords(mine, other, stats, options.weights);
          if (comparison.score < options.reviewThreshold) continue;
          const reasons = describeReasons(comparison.reasons, t);
          matches.push(
            inFile(other.record)
              ? { row: rowOf(other.record), label: label(other.record), score: comparison.score, reasons }
              : { organisationId: other.record.id, label: label(other.record), score: comparison.score, reasons },
          );
        }
      }
      index(mine);
      if (matches.length) findings.push({ row: record.row, matches: matches.sort((x, y) => (y.score ?? 0) - (x.score ?? 0)).slice(0, 3) });
    }
    // Past the cap the index serves no more: its records are freed for the rest of the file.
    if (indexed >= IMPORT_CHECK_MAX_RECORDS) blocks.clear();
    return findings;
  };
}

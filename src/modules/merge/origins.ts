import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { storedJson } from '../../kernel/stored-json.js';
import { findBatch } from '../imports/index.js';
import type { JournalEntry } from './journal.js';
import * as repo from './repo.js';

/** An import a record came from: the file, its row and reference, the batch. */
export interface RecordOrigin {
  /** The record the row was imported as: this one, or one merged into it since. */
  recordId: string;
  /** The merge in force that brought this origin (null: the record's own). */
  mergeId: string | null;
  source: string;
  file: string | null;
  /** The spreadsheet row (the header is row 1). */
  row: number | null;
  /** The file's own reference of the row (« CAP-00331 »). */
  ref: string | null;
  batchId: string | null;
  /** The batch as it stands (null when it no longer exists). */
  batch: {
    sourceName: string;
    fileName: string;
    fileSha256: string;
    status: string;
    importedAt: string | null;
    /** The legal basis chosen for its contacts (stored JSON, read). */
    legalBasis: unknown;
  } | null;
}

type Kind = 'organisation' | 'contact';
type OriginRow = { id: string; source: string; import_batch_id: string | null; source_file?: string | null; source_row?: number | null; source_ref?: string | null };

const TABLE = { organisation: 'organisations', contact: 'contacts' } as const;

/** A row of the record or of a merge's journal, as an origin when it was imported (a batch or a file), else null. */
function originOf(row: Partial<OriginRow> & Record<string, unknown>, mergeId: string | null): Omit<RecordOrigin, 'batch'> | null {
  const batchId = typeof row.import_batch_id === 'string' ? row.import_batch_id : null;
  const file = typeof row.source_file === 'string' && row.source_file !== '' ? row.source_file : null;
  if (!batchId && !file) return null;
  return {
    recordId: String(row.id),
    mergeId,
    source: typeof row.source === 'string' ? row.source : 'import',
    file,
    row: typeof row.source_row === 'number' ? row.source_row : row.source_row != null ? Number(row.source_row) : null,
    ref: typeof row.source_ref === 'string' && row.source_ref !== '' ? row.source_ref : null,
    batchId,
  };
}

/** The row a merge's journal deleted from `table` with this id (the record absorbed, in full). */
function deletedRow(journal: string, table: string, id: string): Record<string, unknown> | undefined {
  const entries = JSON.parse(journal) as JournalEntry[];
  for (const entry of entries) if (entry.op === 'delete' && entry.table === table && entry.row['id'] === id) return entry.row;
  return undefined;
}

/** The records merged into an organisation by merges in force, each with its merge: the row the journal kept of it. */
async function absorbedOrganisations(db: Kysely<Database>, id: string) {
  return (await repo.mergesInto(db, id)).map((m) => ({ id: m.absorbed_id, mergeId: m.id, row: deletedRow(m.journal, 'organisations', m.absorbed_id) }));
}

/**
 * The contacts merged into a person by merges in force: the person's `contact.merged` entries say
 * which duplicate was joined to them and by which merge (the journal's rows do not tie one to the
 * other); the journal kept the duplicate's row.
 */
async function absorbedContacts(db: Kysely<Database>, id: string) {
  const joined = new Map<string, string>();
  for (const entry of await repo.contactMergeEntries(db, [id])) {
    const before = storedJson(entry.before) as { absorbed?: { id?: unknown } } | null;
    const after = storedJson(entry.after) as { merge_id?: unknown } | null;
    if (typeof before?.absorbed?.id === 'string' && typeof after?.merge_id === 'string') joined.set(before.absorbed.id, after.merge_id);
  }
  const merges = new Map((await repo.activeMergesByIds(db, [...new Set(joined.values())])).map((m) => [m.id, m]));
  return [...joined].flatMap(([absorbedId, mergeId]) => {
    const merge = merges.get(mergeId);
    return merge ? [{ id: absorbedId, mergeId, row: deletedRow(merge.journal, 'contacts', absorbedId) }] : [];
  });
}

/**
 * Every import an organisation or a person came from: its own row's file, row, reference and
 * batch, then those of each record merged into it by a merge in force (and of the records merged
 * into those, earlier), so that a merged record names both files. A record typed in by hand has
 * none of its own.
 */
export async function recordOrigins(db: Kysely<Database>, kind: Kind, id: string): Promise<RecordOrigin[]> {
  const own = await repo.originColumns(db, TABLE[kind], id);
  if (!own) return [];
  const found: Omit<RecordOrigin, 'batch'>[] = [];
  const first = originOf(own, null);
  if (first) found.push(first);
  const seen = new Set([id]);
  const queue = [id];
  while (queue.length > 0) {
    const current = queue.shift()!;
    const absorbed = kind === 'organisation' ? await absorbedOrganisations(db, current) : await absorbedContacts(db, current);
    for (const record of absorbed) {
      if (seen.has(record.id)) continue;
      seen.add(record.id);
      queue.push(record.id);
      const origin = record.row ? originOf(record.row, record.mergeId) : null;
      if (origin) found.push(origin);
    }
  }
  const batchIds = [...new Set(found.flatMap((o) => (o.batchId ? [o.batchId] : [])))];
  const batches = new Map(await Promise.all(batchIds.map(async (batchId) => [batchId, await findBatch(db, batchId)] as const)));
  return found.map((origin) => {
    const b = origin.batchId ? batches.get(origin.batchId) : undefined;
    return {
      ...origin,
      file: origin.file ?? b?.file_name ?? null,
      batch: b
        ? { sourceName: b.source_name, fileName: b.file_name, fileSha256: b.file_sha256, status: b.status, importedAt: b.finished_at ?? b.started_at ?? b.created_at, legalBasis: storedJson(b.legal_basis) }
        : null,
    };
  });
}

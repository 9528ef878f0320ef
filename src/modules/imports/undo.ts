import type { MessageKey } from '../../kernel/i18n/index.js';
import { cancelQueuedJobs, type Jobs } from '../../kernel/jobs/index.js';
import { GEOCODE_IMPORTED_JOB, GEOCODE_JOB } from '../map/index.js';
import { geocodeKeyPrefix } from '../organisations/index.js';
import { auditBatch } from './batch-audit.js';
import { undoRefusal } from './batch-data.js';
import { GEOCODE_FANOUT_JOB, geocodeFanoutKeyPrefix, importedGeocodeKey } from './commit.js';
import { ImportError } from './errors.js';
import * as repo from './repo.js';
import { removeSpill } from './spill.js';
import type { ImportActor, ImportDeps, MessageList, MessageRef } from './types.js';
import { batchStandsLocked, type LaterData, laterDataOfBatch } from './undo-repo.js';

/** Merges named in the refusal (the rest counted). */
const MERGES_NAMED = 5;
/** Records named in a refusal for later data (the rest counted). */
const RECORDS_NAMED = 10;

/** What each table holds, as the refusal names it (a table not listed is named as it is). */
const LATER_DATA_LABEL: Readonly<Record<string, MessageKey>> = {
  interactions: 'imports.undo.data.interactions',
  memberships: 'imports.undo.data.memberships',
  user_organisations: 'imports.undo.data.accounts',
  account_requests: 'imports.undo.data.accountRequests',
  contact_roles: 'imports.undo.data.roles',
  organisation_colleges: 'imports.undo.data.colleges',
  organisation_tags: 'imports.undo.data.tags',
  event_organisers: 'imports.undo.data.events',
  event_feeds: 'imports.undo.data.eventFeeds',
  registrations: 'imports.undo.data.registrations',
  proposals: 'imports.undo.data.proposals',
  consents: 'imports.undo.data.consents',
};

/** The first `shown` items, then "…" when there are more; joined by the language's list separator. */
function partList<T>(items: T[], shown: number, ref: (item: T) => MessageRef): MessageList {
  const list = items.slice(0, shown).map(ref);
  return { list: items.length > shown ? [...list, { key: 'imports.list.more' }] : list };
}

/** "« Eau Vive » (échanges, adhésions) ; contact « Léa Martin » (inscriptions)", the first few records, worded when shown. */
export function laterDataList(found: LaterData[]): { count: number; items: MessageList } {
  const byRecord = new Map<string, { kind: LaterData['kind']; name: string; tables: Map<string, MessageRef> }>();
  for (const f of found) {
    const key = `${f.kind}:${f.id}`;
    const entry = byRecord.get(key) ?? { kind: f.kind, name: f.name, tables: new Map<string, MessageRef>() };
    const label = LATER_DATA_LABEL[f.table];
    entry.tables.set(f.table, label ? { key: label } : { key: 'imports.undo.data.other', params: { table: f.table } });
    byRecord.set(key, entry);
  }
  const records = [...byRecord.values()];
  const items = partList(records, RECORDS_NAMED, (r) => ({
    key: r.kind === 'contact' ? 'imports.undo.contact' : 'imports.undo.organisation',
    params: { name: r.name, tables: [...r.tables.values()] },
  }));
  return { count: records.length, items };
}

/** "« survivor » ← « absorbed »" of the first few merges (the message gives their count). */
function mergeList(merges: { survivor_name: string; absorbed_name: string }[]): MessageList {
  return partList(merges, MERGES_NAMED, (m) => ({ key: 'imports.undo.merge', params: { survivor: m.survivor_name, absorbed: m.absorbed_name } }));
}

/**
 * Why an undo of the batch would be refused for what its records took part in since the import
 * (shown before confirming, and checked again by the undo): merges first (the data a survivor
 * received by one is the merge's, undone with it), then data added.
 */
export async function undoBlockers(db: repo.Db, batchId: string): Promise<ImportError | null> {
  const merges = await repo.activeMergesOfBatch(db, batchId);
  if (merges.length) return new ImportError('imports.error.undoMerged', { count: merges.length, merges: mergeList(merges) });
  const later = await laterDataOfBatch(db, batchId);
  return later.length ? new ImportError('imports.error.undoLaterData', laterDataList(later)) : null;
}

/**
 * Undoes a whole batch: removes the organisations and contacts it created, with their links,
 * roles, memberships and consent records, in one transaction; the batch stays, marked undone,
 * and the removal is in the audit log. Refused when `undoRefusal` says so (a batch that wrote
 * nothing, deleted instead; a commit still running; a batch undone already); while a merge
 * involves one of its organisations (undoing the batch would delete a survivor that holds other
 * records' data, or leave a merge journal that can no longer be replayed): those merges are
 * named, to be undone first; and while its records received data since the import (interactions,
 * memberships, accounts, registrations…), which the undo would delete with them: those records
 * are named, and nothing is deleted.
 *
 * The geocoding queued for its organisations and not begun is removed in the same transaction.
 *
 * The batch's status changes first, in the transaction: a commit still writing it (a run taken for
 * dead) can then no longer move its checkpoint, and its chunk in flight rolls back.
 */
export async function undoBatch(deps: ImportDeps, actor: ImportActor, batchId: string): Promise<{ organisations: number; contacts: number }> {
  const batch = await repo.findBatch(deps.db, batchId);
  if (!batch) throw new ImportError('imports.error.batchNotFound', { id: batchId });
  const now = deps.clock.now();
  const refusal = undoRefusal(batch, now);
  if (refusal) throw refusal;
  const removed = await repo.transaction(deps.db, async (trx) => {
    const marked = await repo.updateBatchAsRead(trx, batch, { status: 'undone', undone_at: now.toISOString(), undone_by: actor.id, updated_at: now.toISOString() });
    if (!marked) {
      // Changed since it was read: said as the batch now stands.
      const current = await repo.findBatch(trx, batchId);
      throw (current && undoRefusal(current, now)) ?? new ImportError('imports.error.undoChanged');
    }
    const blocked = await undoBlockers(trx, batchId);
    if (blocked) throw blocked;
    const organisations = await repo.batchOrganisationIds(trx, batchId);
    const removed = await repo.deleteBatchRecords(trx, batchId);
    // The geocoding queued for its organisations goes with them: the fan-out of chunks not yet
    // handed over, each organisation's own job not begun, and those queued when staff changed
    // the address of one of them since. After the deletion: on PostgreSQL it waited for any
    // transaction still writing these organisations, whose jobs queued with that write are then
    // seen here. (A fan-out
    // running meanwhile holds the batch's row, changed first above: see `handOverToGeocoding`.)
    await cancelQueuedJobs(trx, GEOCODE_FANOUT_JOB, { keyPrefix: geocodeFanoutKeyPrefix(batchId) });
    await cancelQueuedJobs(trx, GEOCODE_IMPORTED_JOB, { keys: organisations.map(importedGeocodeKey) });
    await cancelQueuedJobs(trx, GEOCODE_JOB, { keyPrefixes: organisations.map(geocodeKeyPrefix) });
    return removed;
  });
  await removeSpill(deps.dataDir, batchId);
  await auditBatch(
    deps,
    actor,
    batchId,
    'import.undone',
    {
      before: { status: batch.status, organisations: batch.created_organisations, contacts: batch.created_contacts },
      after: { status: 'undone', removed_organisations: removed.organisations, removed_contacts: removed.contacts, file: batch.file_name, source: batch.source_name },
    },
    now,
  );
  return removed;
}

/**
 * The fan-out of a written chunk (`imports.geocode`): queues the geocoding of each organisation the
 * batch created after row `fromRow` up to `toRow`, as they stand in the database, in one
 * transaction that first holds the batch's row (see `batchStandsLocked`). An undo running
 * meanwhile, which changes that row first, so either waits for these jobs and cancels them, or
 * has ended before and nothing is queued: never the geocoding of an organisation it deleted.
 * Returns how many jobs were queued.
 */
export function handOverToGeocoding(deps: ImportDeps, jobs: Jobs, batchId: string, rows: { fromRow: number; toRow: number }): Promise<number> {
  return repo.transaction(deps.db, async (trx) => {
    if (!(await batchStandsLocked(trx, deps.dialect === 'postgres', batchId))) return 0;
    const ids = await repo.batchOrganisationIds(trx, batchId, rows);
    return jobs.enqueueMany(
      GEOCODE_IMPORTED_JOB,
      ids.map((id) => ({ payload: { id }, idempotencyKey: importedGeocodeKey(id) })),
      { trx },
    );
  });
}

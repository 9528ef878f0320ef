import type { Kysely } from 'kysely';
import { storedJson } from '../../kernel/stored-json.js';
import type { Database } from '../../db/schema.js';
import { readSetting, writeSettings } from '../../kernel/settings/index.js';
import * as repo from './repo.js';

/** The settings row where the end of the last full scan is kept (one JSON value). */
const LAST_SCAN_KEY = 'duplicates.lastScan';

/** The job of a full scan (payload: `{ autoMerge?: boolean }`), e.g. enqueued after an import. */
export const DUPLICATE_SCAN_JOB = 'duplicates.scan';

/** What the last full scan did, written when it ends. */
export interface LastScan {
  startedAt: string;
  finishedAt: string;
  /** Organisations compared. */
  records: number;
  /** Pairs found (pending and decided alike). */
  pairs: number;
  /** New pairs in the queue. */
  inserted: number;
  /** Pending pairs no longer found, removed from the queue. */
  removed: number;
  autoMerged: number;
}

export interface PendingScan {
  status: 'queued' | 'running';
  since: string;
}

/** Where the full scan stands, for the queue page. */
export interface ScanState {
  /** A scan job waiting for a worker (`queued`, since it was asked for) or running (since it started). */
  pending?: PendingScan;
  /** A scan job that merges the safe pairs too (asked from the queue), waiting or running. */
  autoMerge?: PendingScan;
  /** The last scan that ended. */
  last?: LastScan;
  /** The last scan job that failed for good, when that is more recent than the last scan's end. */
  failedAt?: string;
}

export async function recordLastScan(db: Kysely<Database>, scan: LastScan): Promise<void> {
  await writeSettings(db, { [LAST_SCAN_KEY]: JSON.stringify(scan) }, scan.finishedAt);
}

function parseLastScan(value: string | undefined): LastScan | undefined {
  if (!value) return undefined;
  try {
    const scan = JSON.parse(value) as Partial<LastScan>;
    return typeof scan.finishedAt === 'string' && typeof scan.records === 'number' ? (scan as LastScan) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a scan job's payload asks for the automatic merges. */
function autoMergeOf(payload: string): boolean {
  const stored = storedJson(payload);
  return stored !== null && typeof stored === 'object' && (stored as { autoMerge?: unknown }).autoMerge === true;
}

/** The full scan's state: a job waiting or running (the job queue), the last end (recorded by the scan), a failure since. */
export async function scanState(db: Kysely<Database>): Promise<ScanState> {
  const [jobs, last, failed] = await Promise.all([repo.pendingScanJobs(db, DUPLICATE_SCAN_JOB), readSetting(db, LAST_SCAN_KEY), repo.lastFailedScanJob(db, DUPLICATE_SCAN_JOB)]);
  const state: ScanState = {};
  const pendingOf = (job: (typeof jobs)[number]): PendingScan => (job.status === 'running' ? { status: 'running', since: job.updated_at } : { status: 'queued', since: job.created_at });
  if (jobs[0]) state.pending = pendingOf(jobs[0]);
  const merging = jobs.find((job) => job.status === 'running' && autoMergeOf(job.payload)) ?? jobs.find((job) => autoMergeOf(job.payload));
  if (merging) state.autoMerge = pendingOf(merging);
  const lastScan = parseLastScan(last);
  if (lastScan) state.last = lastScan;
  if (failed?.finished_at && (!lastScan || failed.finished_at > lastScan.finishedAt)) state.failedAt = failed.finished_at;
  return state;
}

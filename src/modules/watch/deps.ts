import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Clock } from '../../kernel/clock.js';
import type { Dialect } from '../../kernel/db/create-db.js';
import type { Resolver } from '../../kernel/http/safe-fetch.js';
import type { Kernel } from '../../kernel/http/types.js';
import type { Logger } from '../../kernel/logger.js';
import type { DutyGate } from './duty-gate.js';

/** What the watch's use cases need; wired from the kernel by `watchDeps`. */
export interface WatchDeps {
  db: Kysely<Database>;
  dialect: Dialect;
  clock: Clock;
  logger: Pick<Logger, 'warn' | 'info'>;
  allowlist: readonly string[];
  /** Deadline of one read (tests shorten it). */
  fetchTimeoutMs?: number;
  resolve?: Resolver;
  /** Paces the sweep's CPU work when it runs beside visitors (the web process's jobs). */
  gate?: DutyGate;
}

export function watchDeps(kernel: Kernel): WatchDeps {
  return { db: kernel.db, dialect: kernel.dbHandle.dialect, clock: kernel.clock, logger: kernel.logger, allowlist: kernel.config.fetchAllowlist };
}

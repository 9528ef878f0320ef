import type { Config } from '../config.js';
import { type Clock, systemClock } from './clock.js';
import { createDb, type DbHandle } from './db/create-db.js';
import type { Kernel } from './http/types.js';
import { Jobs } from './jobs/index.js';
import { createLogger, type Logger } from './logger.js';
import { createMailer, type Mailer } from './mail/index.js';
import { SettingsStore } from './settings/index.js';

export interface KernelOverrides {
  dbHandle?: DbHandle;
  mail?: Mailer;
  clock?: Clock;
  logger?: Logger;
  jobsPollMs?: number;
}

export function createKernel(config: Config, overrides: KernelOverrides = {}): Kernel {
  const dbHandle = overrides.dbHandle ?? createDb(config.databaseUrl);
  const clock = overrides.clock ?? systemClock;
  const logger = overrides.logger ?? createLogger(config);
  return {
    logger,
    config,
    dbHandle,
    db: dbHandle.db,
    clock,
    mail: overrides.mail ?? createMailer(config),
    jobs: new Jobs({
      db: dbHandle.db,
      dialect: dbHandle.dialect,
      clock,
      logger,
      pollMs: overrides.jobsPollMs,
    }),
    settings: new SettingsStore(dbHandle.db, clock),
    publicNav: [],
    adminNav: [],
    memberCards: [],
    searchSections: [],
    sitemaps: [],
    homeBlocks: [],
    footerParts: [],
    auditEntities: [],
    personalData: [],
    pageNav: { header: [], footer: [] },
  };
}

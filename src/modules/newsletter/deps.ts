import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { Database } from '../../db/schema.js';
import type { Clock } from '../../kernel/clock.js';
import type { Dialect } from '../../kernel/db/create-db.js';
import type { Kernel } from '../../kernel/http/types.js';
import type { Jobs } from '../../kernel/jobs/index.js';
import type { Logger } from '../../kernel/logger.js';
import type { Mailer } from '../../kernel/mail/index.js';
import type { SettingsStore } from '../../kernel/settings/index.js';

/** What the newsletter's use cases need; wired from the kernel by `newsletterDeps`. */
export interface NewsletterDeps {
  db: Kysely<Database>;
  dialect: Dialect;
  clock: Clock;
  mail: Mailer;
  jobs: Jobs;
  config: Pick<Config, 'baseUrl' | 'mailFrom'>;
  settings: Pick<SettingsStore, 'get'>;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
}

export function newsletterDeps(kernel: Kernel): NewsletterDeps {
  return {
    db: kernel.db,
    dialect: kernel.dbHandle.dialect,
    clock: kernel.clock,
    mail: kernel.mail,
    jobs: kernel.jobs,
    config: kernel.config,
    settings: kernel.settings,
    logger: kernel.logger,
  };
}

/** Who made a change: a staff member, or nobody (a visitor, a mail provider, the CLI). */
export interface NewsletterActor {
  id: string | null;
  email: string | null;
  ip?: string | null;
}

export const NOBODY: NewsletterActor = { id: null, email: null };

/** Absolute URL of a path of the site. */
export function absolute(deps: Pick<NewsletterDeps, 'config'>, path: string): string {
  return `${deps.config.baseUrl.replace(/\/+$/, '')}${path}`;
}

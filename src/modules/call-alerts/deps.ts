import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { Database } from '../../db/schema.js';
import type { Clock } from '../../kernel/clock.js';
import type { Kernel } from '../../kernel/http/types.js';
import type { Logger } from '../../kernel/logger.js';
import type { Mailer } from '../../kernel/mail/index.js';
import type { SettingsStore } from '../../kernel/settings/index.js';

/** What the call alerts' use cases need; wired from the kernel by `callAlertsDeps`. */
export interface CallAlertsDeps {
  db: Kysely<Database>;
  clock: Clock;
  mail: Mailer;
  config: Pick<Config, 'baseUrl'>;
  settings: Pick<SettingsStore, 'get'>;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
}

export function callAlertsDeps(kernel: Kernel): CallAlertsDeps {
  return { db: kernel.db, clock: kernel.clock, mail: kernel.mail, config: kernel.config, settings: kernel.settings, logger: kernel.logger };
}

/** Absolute URL of a same-site path (links in emails). */
export function absolute(deps: Pick<CallAlertsDeps, 'config'>, path: string): string {
  return `${deps.config.baseUrl.replace(/\/+$/, '')}${path}`;
}
